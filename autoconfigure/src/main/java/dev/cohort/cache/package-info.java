/**
 * {@link dev.cohort.cache.ClusterCache}: values, lists and locks shared by every node.
 */
@NullMarked
package dev.cohort.cache;

import org.jspecify.annotations.NullMarked;
