package dev.cohort.testapp;

import java.util.Set;
import java.util.TreeSet;

import dev.cohort.test.redis.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

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

	/**
	 * The keys of a namespace in one database of a server: those that start with the
	 * namespace and a colon, with or without an opening hash tag brace.
	 * @param server the server
	 * @param database the database index
	 * @param namespace the namespace
	 * @return the keys, sorted
	 */
	public static Set<String> keys(RedisServer server, int database, String namespace) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host(), server.port());
		configuration.setDatabase(database);
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		factory.start();
		try {
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			Set<String> keys = new TreeSet<>(redis.keys(namespace + ":*"));
			keys.addAll(redis.keys("{" + namespace + ":*"));
			return keys;
		}
		finally {
			factory.destroy();
		}
	}

}
