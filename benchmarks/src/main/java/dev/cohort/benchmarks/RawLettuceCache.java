package dev.cohort.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The floor of a cache write and read: plain Lettuce {@code SET} and {@code GET} of the
 * same 100 bytes of JSON text that Cohort stores, with no mapping and no template. One
 * {@link RedisClient} and one connection, whose synchronous commands every thread shares;
 * Lettuce pipelines the commands of concurrent callers on it, as Spring Data Redis does
 * with the one native connection it shares.
 */
final class RawLettuceCache implements CacheClient {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> commands;

	private final String[] keys;

	/**
	 * Connects.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param prefix what the keys start with; the user's key follows
	 * @param userKeys the user's keys
	 */
	RawLettuceCache(String host, int port, String prefix, String[] userKeys) {
		this.keys = new String[userKeys.length];
		for (int i = 0; i < userKeys.length; i++) {
			this.keys[i] = prefix + userKeys[i] + "}";
		}
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connect();
		this.commands = this.connection.sync();
	}

	@Override
	public void write(int key) {
		this.commands.set(this.keys[key], Payloads.CACHE_VALUE_JSON);
	}

	@Override
	public void read(int key) {
		String value = this.commands.get(this.keys[key]);
		if (!Payloads.CACHE_VALUE_JSON.equals(value)) {
			throw new IllegalStateException("Wrong value under " + this.keys[key] + ": " + value);
		}
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
