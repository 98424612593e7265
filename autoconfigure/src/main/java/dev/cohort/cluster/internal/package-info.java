/**
 * How a node joins, heartbeats in and leaves the cluster, and the identity it registers.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of the capability packages instead.
 */
@NullMarked
package dev.cohort.cluster.internal;

import org.jspecify.annotations.NullMarked;
