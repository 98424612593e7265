package dev.cohort.cache;

import dev.cohort.cluster.ClusterException;

/**
 * A key holds data that cannot be used as asked: JSON that does not map to the requested
 * type, a list where a value was expected (or the reverse), or a value that cannot be
 * written as JSON. The message names the key; the data is left as it was.
 */
public class CacheValueException extends ClusterException {

	private final String key;

	public CacheValueException(String key, String message, Throwable cause) {
		super("Cache key '" + key + "': " + message, cause);
		this.key = key;
	}

	public CacheValueException(String key, String message) {
		super("Cache key '" + key + "': " + message);
		this.key = key;
	}

	/**
	 * The key concerned.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}
