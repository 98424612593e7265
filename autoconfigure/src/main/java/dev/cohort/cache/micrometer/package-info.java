/**
 * Micrometer meters of the caches of Cohort's Spring {@code CacheManager}, through Spring
 * Boot's cache metrics.
 */
@NullMarked
package dev.cohort.cache.micrometer;

import org.jspecify.annotations.NullMarked;
