package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The cluster cache and the Spring CacheManager on it.
 * <p>
 * Bound under {@code cluster.cache.*} through {@link ClusterProperties#getCache()}.
 */
public class ClusterCacheProperties {

	/**
	 * Whether to provide a Spring CacheManager on the cluster cache, so that '@Cacheable'
	 * results are shared by all nodes. It backs off when the application defines its own
	 * CacheManager.
	 */
	private boolean cacheManager = true;

	/**
	 * Time to live of the CacheManager's entries. By default they never expire.
	 */
	private @Nullable Duration timeToLive;

	/**
	 * Time to live of the entries of named caches, overriding 'time-to-live', for example
	 * 'cluster.cache.time-to-live-by-cache.users=10m'.
	 */
	private Map<String, Duration> timeToLiveByCache = new LinkedHashMap<>();

	/**
	 * Whether the CacheManager caches null results.
	 */
	private boolean cacheNullValues = true;

	/**
	 * Classes the CacheManager may read back from Redis, besides the JDK value and
	 * collection types it always reads and the return types (with their type arguments)
	 * of the application's @Cacheable and @CachePut methods. Name the subclasses of
	 * declared types, and the types of values cached without such a method.
	 */
	private List<Class<?>> allowedTypes = new ArrayList<>();

	/**
	 * Packages whose classes the CacheManager may all read back from Redis, with their
	 * sub-packages: an opt-in that trusts every class there, so list only packages that
	 * hold nothing but plain data classes. JDK packages are refused. Prefer
	 * 'allowed-types'.
	 */
	private List<String> trustedPackages = new ArrayList<>();

	/**
	 * Most Redis connections that ClusterCache's blocking pops (pop with a timeout) keep
	 * open and wait on at once; more concurrent pops wait for one of them.
	 */
	private int popConnections = 8;

	/**
	 * A Redis of the cache's own; when not set, the cache uses the application's Redis
	 * (spring.data.redis.*).
	 */
	@NestedConfigurationProperty
	private @Nullable ClusterRedisProperties redis;

	public boolean isCacheManager() {
		return this.cacheManager;
	}

	public void setCacheManager(boolean cacheManager) {
		this.cacheManager = cacheManager;
	}

	public @Nullable Duration getTimeToLive() {
		return this.timeToLive;
	}

	public void setTimeToLive(@Nullable Duration timeToLive) {
		this.timeToLive = timeToLive;
	}

	public Map<String, Duration> getTimeToLiveByCache() {
		return this.timeToLiveByCache;
	}

	public void setTimeToLiveByCache(Map<String, Duration> timeToLiveByCache) {
		this.timeToLiveByCache = timeToLiveByCache;
	}

	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	public void setCacheNullValues(boolean cacheNullValues) {
		this.cacheNullValues = cacheNullValues;
	}

	public List<Class<?>> getAllowedTypes() {
		return this.allowedTypes;
	}

	public void setAllowedTypes(List<Class<?>> allowedTypes) {
		this.allowedTypes = allowedTypes;
	}

	public List<String> getTrustedPackages() {
		return this.trustedPackages;
	}

	public void setTrustedPackages(List<String> trustedPackages) {
		this.trustedPackages = trustedPackages;
	}

	public int getPopConnections() {
		return this.popConnections;
	}

	public void setPopConnections(int popConnections) {
		this.popConnections = popConnections;
	}

	public @Nullable ClusterRedisProperties getRedis() {
		return this.redis;
	}

	public void setRedis(@Nullable ClusterRedisProperties redis) {
		this.redis = redis;
	}

}
