package dev.cohort.benchmarks;

/**
 * One way of writing and reading the cache benchmark's value under a fixed set of keys,
 * through a synchronous API: each call blocks until Redis has answered. Calls may come
 * from many threads at once.
 */
interface CacheClient extends AutoCloseable {

	/**
	 * Writes the value under a key.
	 * @param key the key's index, from zero to {@link CacheBenchmark#KEYS} (exclusive)
	 */
	void write(int key);

	/**
	 * Reads the value under a key and checks that it is the one written.
	 * @param key the key's index, from zero to {@link CacheBenchmark#KEYS} (exclusive)
	 */
	void read(int key);

	@Override
	void close();

}
