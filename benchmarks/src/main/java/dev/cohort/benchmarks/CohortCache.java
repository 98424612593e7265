package dev.cohort.benchmarks;

import dev.cohort.cache.ClusterCache;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cache through {@link ClusterCache} of a Cohort node on the Redis transport:
 * {@code save(key, value)} maps the value to JSON and sets it through Spring Data Redis'
 * {@code StringRedisTemplate}; {@code load(key, String.class)} gets it and maps it back.
 */
final class CohortCache implements CacheClient {

	private final ConfigurableApplicationContext node;

	private final ClusterCache cache;

	private final String[] keys;

	/**
	 * Starts the node.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param namespace the cluster's namespace, which the node puts before every key
	 * @param userKeys the user's keys
	 */
	CohortCache(String host, int port, String namespace, String[] userKeys) {
		this.keys = userKeys.clone();
		this.node = BenchmarkNode.start(host, port, namespace);
		this.cache = this.node.getBean(ClusterCache.class);
	}

	@Override
	public void write(int key) {
		this.cache.save(this.keys[key], Payloads.CACHE_VALUE);
	}

	@Override
	public void read(int key) {
		String value = this.cache.load(this.keys[key], String.class).orElse(null);
		if (!Payloads.CACHE_VALUE.equals(value)) {
			throw new IllegalStateException("Wrong value under " + this.keys[key] + ": " + value);
		}
	}

	@Override
	public void close() {
		this.node.close();
	}

}
