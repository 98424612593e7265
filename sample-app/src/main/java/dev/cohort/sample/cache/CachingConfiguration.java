package dev.cohort.sample.cache;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * Turns on Spring's caching annotations. Cohort provides the {@code CacheManager}: its
 * caches live in the cluster cache, so a result that {@code @Cacheable} stored on one
 * node is a hit on every other. Times to live come from
 * {@code cluster.cache.time-to-live} and
 * {@code cluster.cache.time-to-live-by-cache.<name>} (see {@code application.yml}).
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
class CachingConfiguration {

}
