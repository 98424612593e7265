package dev.cohort.cache.spring;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cache.CacheStore;
import dev.cohort.internal.KeyPatterns;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link org.springframework.cache.Cache} in the cluster cache: entry {@code k}
 * of cache {@code users} is the cluster cache key {@code users::k}, so every node sees
 * it. Keys are turned into strings with {@code toString()}.
 */
public class ClusterSpringCache extends AbstractValueAdaptingCache {

	private final String name;

	private final CacheStore store;

	private final CacheValueCodec codec;

	private final @Nullable Duration ttl;

	private final AtomicLong hits = new AtomicLong();

	private final AtomicLong misses = new AtomicLong();

	private final AtomicLong puts = new AtomicLong();

	private final AtomicLong evictions = new AtomicLong();

	ClusterSpringCache(String name, CacheStore store, CacheValueCodec codec, @Nullable Duration ttl,
			boolean allowNullValues) {
		super(allowNullValues);
		this.name = name;
		this.store = store;
		this.codec = codec;
		this.ttl = ttl;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public CacheStore getNativeCache() {
		return this.store;
	}

	/**
	 * The time to live of this cache's entries.
	 * @return the time to live, or {@code null} if they never expire
	 */
	public @Nullable Duration getTimeToLive() {
		return this.ttl;
	}

	/**
	 * How many lookups on this node found an entry.
	 * @return the count
	 */
	public long getHits() {
		return this.hits.get();
	}

	/**
	 * How many lookups on this node found none.
	 * @return the count
	 */
	public long getMisses() {
		return this.misses.get();
	}

	/**
	 * How many entries this node wrote.
	 * @return the count
	 */
	public long getPuts() {
		return this.puts.get();
	}

	/**
	 * How many entries this node removed by key.
	 * @return the count
	 */
	public long getEvictions() {
		return this.evictions.get();
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		String entry = entryKey(key);
		String json = this.store.get(entry);
		(json != null ? this.hits : this.misses).incrementAndGet();
		return (json != null) ? this.codec.read(entry, json) : null;
	}

	@Override
	public synchronized <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		// Synchronized per node, as Spring's own caches are: sync=true loads once per
		// node, not once per cluster.
		ValueWrapper cached = get(key);
		if (cached != null) {
			@SuppressWarnings("unchecked")
			T value = (T) cached.get();
			return value;
		}
		T value;
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
		put(key, value);
		return value;
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		String entry = entryKey(key);
		this.store.set(entry, this.codec.write(entry, toStoreValue(value)), this.ttl);
		this.puts.incrementAndGet();
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		String entry = entryKey(key);
		if (this.store.setIfAbsent(entry, this.codec.write(entry, toStoreValue(value)), this.ttl)) {
			this.puts.incrementAndGet();
			return null;
		}
		ValueWrapper existing = get(key);
		return (existing != null) ? existing : new SimpleValueWrapper(null);
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean evicted = this.store.delete(entryKey(key));
		if (evicted) {
			this.evictions.incrementAndGet();
		}
		return evicted;
	}

	@Override
	public void clear() {
		this.store.scan(KeyPatterns.escape(this.name) + "::*", this.store::deleteAll);
	}

	private String entryKey(Object key) {
		return this.name + "::" + key;
	}

}
