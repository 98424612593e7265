package dev.cohort.cache.micrometer;

import java.util.function.ToLongFunction;

import dev.cohort.cache.spring.ClusterSpringCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The standard cache meters ({@code cache.gets} tagged {@code result} {@code hit} or
 * {@code miss}, {@code cache.puts}, {@code cache.evictions}) of one
 * {@link ClusterSpringCache}, counted on this node. Its size is not reported: counting
 * the entries of a cache shared by the cluster would scan Redis.
 */
public class ClusterCacheMetrics extends CacheMeterBinder<ClusterSpringCache> {

	/**
	 * Creates the meters of a cache.
	 * @param cache the cache
	 * @param tags tags for every meter
	 */
	public ClusterCacheMetrics(ClusterSpringCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
	}

	@Override
	protected @Nullable Long size() {
		return null;
	}

	@Override
	protected long hitCount() {
		return count(ClusterSpringCache::getHits);
	}

	@Override
	protected Long missCount() {
		return count(ClusterSpringCache::getMisses);
	}

	@Override
	protected Long evictionCount() {
		return count(ClusterSpringCache::getEvictions);
	}

	@Override
	protected long putCount() {
		return count(ClusterSpringCache::getPuts);
	}

	private long count(ToLongFunction<ClusterSpringCache> counter) {
		ClusterSpringCache cache = getCache();
		// Held weakly: a cache that is gone counts nothing more.
		return (cache != null) ? counter.applyAsLong(cache) : 0L;
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
	}

}
