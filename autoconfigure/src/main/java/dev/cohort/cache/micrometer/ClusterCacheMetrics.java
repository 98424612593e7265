package dev.cohort.cache.micrometer;

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
		ClusterSpringCache cache = getCache();
		// Held weakly: a cache that is gone counts nothing more.
		return (cache != null) ? cache.getHits() : 0L;
	}

	@Override
	protected Long missCount() {
		ClusterSpringCache cache = getCache();
		// Held weakly: a cache that is gone counts nothing more.
		return (cache != null) ? cache.getMisses() : 0L;
	}

	@Override
	protected Long evictionCount() {
		ClusterSpringCache cache = getCache();
		// Held weakly: a cache that is gone counts nothing more.
		return (cache != null) ? cache.getEvictions() : 0L;
	}

	@Override
	protected long putCount() {
		ClusterSpringCache cache = getCache();
		// Held weakly: a cache that is gone counts nothing more.
		return (cache != null) ? cache.getPuts() : 0L;
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
	}

}
