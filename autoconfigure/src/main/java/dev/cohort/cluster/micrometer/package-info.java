/**
 * Cohort metrics as Micrometer meters.
 */
@NullMarked
package dev.cohort.cluster.micrometer;

import org.jspecify.annotations.NullMarked;
