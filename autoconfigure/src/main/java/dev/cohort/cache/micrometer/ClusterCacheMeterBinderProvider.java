package dev.cohort.cache.micrometer;

import dev.cohort.cache.spring.ClusterSpringCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * Lets Spring Boot's cache metrics bind the caches of Cohort's {@code CacheManager}.
 */
public class ClusterCacheMeterBinderProvider implements CacheMeterBinderProvider<ClusterSpringCache> {

	@Override
	public MeterBinder getMeterBinder(ClusterSpringCache cache, Iterable<Tag> tags) {
		return new ClusterCacheMetrics(cache, tags);
	}

}
