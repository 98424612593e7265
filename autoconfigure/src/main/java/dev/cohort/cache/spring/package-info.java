/**
 * A Spring {@link org.springframework.cache.CacheManager} on the cluster cache.
 */
@NullMarked
package dev.cohort.cache.spring;

import org.jspecify.annotations.NullMarked;
