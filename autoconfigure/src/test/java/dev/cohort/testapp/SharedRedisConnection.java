package dev.cohort.testapp;

import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * A Lettuce connection factory to the {@link RedisServer#shared() shared} server, for a
 * test class that drives a store directly: opened before its tests, closed after them.
 * Register it as a static field with {@code @RegisterExtension}.
 */
public final class SharedRedisConnection implements BeforeAllCallback, AfterAllCallback {

	private volatile LettuceConnectionFactory factory;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.factory = TestRedis.connectionFactory(RedisServer.shared());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.factory.destroy();
	}

	/**
	 * The connection factory, while the test class runs.
	 * @return the factory
	 */
	public LettuceConnectionFactory factory() {
		Assert.state(this.factory != null, "The shared Redis connection is open only while the test class runs");
		return this.factory;
	}

}
