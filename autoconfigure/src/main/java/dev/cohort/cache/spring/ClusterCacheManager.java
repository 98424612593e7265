package dev.cohort.cache.spring;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cohort.cache.CacheStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A {@link CacheManager} whose caches live in the cluster cache, so that a result cached
 * by {@code @Cacheable} on one node is a hit on every other. Caches are created when
 * first asked for, each with its own time to live or the default one.
 */
public class ClusterCacheManager implements CacheManager {

	private final CacheStore store;

	private final CacheValueCodec codec;

	private final @Nullable Duration defaultTtl;

	private final Map<String, Duration> ttlByCache;

	private final boolean allowNullValues;

	private final Map<String, ClusterSpringCache> caches = new ConcurrentHashMap<>();

	/**
	 * Creates a cache manager.
	 * @param store where the caches live
	 * @param mapper the application's mapper, which the cache's own is built from
	 * @param trustedPackages the packages whose classes may be read back from the cache
	 * @param defaultTtl the time to live of entries, or {@code null} for ever
	 * @param ttlByCache times to live of the entries of named caches
	 * @param allowNullValues whether {@code null} results are cached
	 */
	public ClusterCacheManager(CacheStore store, JsonMapper mapper, Collection<String> trustedPackages,
			@Nullable Duration defaultTtl, Map<String, Duration> ttlByCache, boolean allowNullValues) {
		this.store = store;
		this.codec = new CacheValueCodec(mapper, trustedPackages);
		this.defaultTtl = defaultTtl;
		this.ttlByCache = Map.copyOf(ttlByCache);
		this.allowNullValues = allowNullValues;
	}

	@Override
	public Cache getCache(String name) {
		return this.caches.computeIfAbsent(name, (cacheName) -> new ClusterSpringCache(cacheName, this.store,
				this.codec, this.ttlByCache.getOrDefault(cacheName, this.defaultTtl), this.allowNullValues));
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(this.caches.keySet());
	}

}
