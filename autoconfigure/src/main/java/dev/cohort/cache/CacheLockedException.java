package dev.cohort.cache;

import java.time.Duration;

import dev.cohort.cluster.ClusterException;

/**
 * A load that waits while a key is locked gave up: the lock was still held when its wait
 * ran out.
 */
public class CacheLockedException extends ClusterException {

	private final String key;

	public CacheLockedException(String key, Duration waited) {
		super("Cache key '" + key + "' was still locked after waiting " + waited.toMillis() + " ms");
		this.key = key;
	}

	/**
	 * The key that stayed locked.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}
