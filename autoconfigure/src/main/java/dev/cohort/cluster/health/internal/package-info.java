/**
 * The post-processor that adds the cluster's health contributor to the readiness group.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on
 * {@code dev.cohort.cluster.health} instead.
 */
@NullMarked
package dev.cohort.cluster.health.internal;

import org.jspecify.annotations.NullMarked;
