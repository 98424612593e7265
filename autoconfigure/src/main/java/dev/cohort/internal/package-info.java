/**
 * Helpers every capability's engine shares: bounded thread pools, rate-limited logs, text
 * from other nodes, annotated methods, key patterns.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of the capability packages instead.
 */
@NullMarked
package dev.cohort.internal;

import org.jspecify.annotations.NullMarked;
