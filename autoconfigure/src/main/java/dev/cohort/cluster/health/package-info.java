/**
 * The {@code cluster} health contributor and its place in the readiness probe.
 */
@NullMarked
package dev.cohort.cluster.health;

import org.jspecify.annotations.NullMarked;
