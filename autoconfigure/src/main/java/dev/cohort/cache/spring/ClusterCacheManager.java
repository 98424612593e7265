package dev.cohort.cache.spring;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

	private final List<Consumer<? super ClusterSpringCache>> creationListeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates a cache manager that reads back the JDK value and collection types that
	 * {@link CacheValueTypes} always allows and the classes of the given packages.
	 * @param store where the caches live
	 * @param mapper the application's mapper, which the cache's own is built from
	 * @param trustedPackages packages whose classes may all be read back from the cache
	 * (not JDK packages)
	 * @param defaultTtl the time to live of entries, or {@code null} for ever
	 * @param ttlByCache times to live of the entries of named caches
	 * @param allowNullValues whether {@code null} results are cached
	 * @deprecated since 0.1.0 for
	 * {@link #ClusterCacheManager(CacheStore, JsonMapper, CacheValueTypes, Duration, Map, boolean)},
	 * which reads back named classes rather than whole packages
	 */
	@Deprecated(since = "0.1.0")
	public ClusterCacheManager(CacheStore store, JsonMapper mapper, Collection<String> trustedPackages,
			@Nullable Duration defaultTtl, Map<String, Duration> ttlByCache, boolean allowNullValues) {
		this(store, mapper, trusting(trustedPackages), defaultTtl, ttlByCache, allowNullValues);
	}

	/**
	 * Creates a cache manager.
	 * @param store where the caches live
	 * @param mapper the application's mapper, which the cache's own is built from
	 * @param types the classes that may be read back from the cache; it may still grow
	 * (see {@link CacheableReturnTypes})
	 * @param defaultTtl the time to live of entries, or {@code null} for ever
	 * @param ttlByCache times to live of the entries of named caches
	 * @param allowNullValues whether {@code null} results are cached
	 */
	public ClusterCacheManager(CacheStore store, JsonMapper mapper, CacheValueTypes types,
			@Nullable Duration defaultTtl, Map<String, Duration> ttlByCache, boolean allowNullValues) {
		this.store = store;
		this.codec = new CacheValueCodec(mapper, types);
		this.defaultTtl = defaultTtl;
		this.ttlByCache = Map.copyOf(ttlByCache);
		this.allowNullValues = allowNullValues;
	}

	private static CacheValueTypes trusting(Collection<String> trustedPackages) {
		CacheValueTypes types = new CacheValueTypes();
		trustedPackages.forEach(types::trustPackage);
		return types;
	}

	@Override
	public Cache getCache(String name) {
		ClusterSpringCache cache = this.caches.get(name);
		if (cache != null) {
			return cache;
		}
		boolean[] created = { false };
		cache = this.caches.computeIfAbsent(name, (cacheName) -> {
			created[0] = true;
			return new ClusterSpringCache(cacheName, this.store, this.codec,
					this.ttlByCache.getOrDefault(cacheName, this.defaultTtl), this.allowNullValues);
		});
		if (created[0]) {
			ClusterSpringCache newCache = cache;
			this.creationListeners.forEach((listener) -> listener.accept(newCache));
		}
		return cache;
	}

	/**
	 * Calls a listener for every cache this manager has and every cache it creates later,
	 * such as to bind each to a meter registry: caches are created when first asked for,
	 * after Boot's cache metrics have bound those that existed at start-up.
	 * @param listener the listener
	 */
	public void forEachCache(Consumer<? super ClusterSpringCache> listener) {
		this.creationListeners.add(listener);
		this.caches.values().forEach(listener);
	}

	@Override
	public Collection<String> getCacheNames() {
		return Collections.unmodifiableSet(this.caches.keySet());
	}

}
