package dev.cohort.testapp;

import dev.cohort.test.redis.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Connection factories for tests that drive a store directly, without an application
 * context.
 */
public final class TestRedis {

	private TestRedis() {
	}

	/**
	 * A started Lettuce connection factory for a server, to be destroyed by the caller.
	 * @param server the server
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(RedisServer server) {
		return connectionFactory(server, LettuceClientConfiguration.defaultConfiguration());
	}

	/**
	 * A started Lettuce connection factory for a server, with a client configuration of
	 * the test's own, to be destroyed by the caller.
	 * @param server the server
	 * @param client the client configuration
	 * @return the factory
	 */
	public static LettuceConnectionFactory connectionFactory(RedisServer server, LettuceClientConfiguration client) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
