/**
 * The dashboard's engine: its controller (page, assets and JSON API), the interceptor
 * that asks the {@code DashboardAccess} about every request, and Cohort's two accesses
 * (the user's role with Spring Security, or anyone when the application opted in).
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on
 * {@code dev.cohort.operations.dashboard.DashboardAccess} instead.
 */
@NullMarked
package dev.cohort.operations.dashboard.internal;

import org.jspecify.annotations.NullMarked;
