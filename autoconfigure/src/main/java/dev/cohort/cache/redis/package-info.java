/**
 * The Redis store behind the cluster cache.
 */
@NullMarked
package dev.cohort.cache.redis;

import org.jspecify.annotations.NullMarked;
