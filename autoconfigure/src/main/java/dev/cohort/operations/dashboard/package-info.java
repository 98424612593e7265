/**
 * The dashboard: one web page of the whole cluster and its JSON API, served by Spring MVC
 * on {@code cluster.dashboard.path}, reading and writing through
 * {@link dev.cohort.operations.ClusterOperations}. Who may use it is decided by a
 * {@link dev.cohort.operations.dashboard.DashboardAccess}: Cohort's allows the user's
 * role with Spring Security, or anyone when the application opted in; declare one of your
 * own to decide otherwise.
 */
@NullMarked
package dev.cohort.operations.dashboard;

import org.jspecify.annotations.NullMarked;
