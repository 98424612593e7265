package dev.cohort.testapp;

import dev.cohort.test.redis.RedisClusterSet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * A Lettuce connection factory to the {@link RedisClusterSet#shared() shared}
 * three-master Redis Cluster, for a test class that drives a store directly: opened
 * before its tests, closed after them. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class SharedRedisClusterConnection implements BeforeAllCallback, AfterAllCallback {

	private volatile LettuceConnectionFactory factory;

	@Override
	public void beforeAll(ExtensionContext context) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(RedisClusterSet.shared().nodeAddresses()));
		factory.afterPropertiesSet();
		factory.start();
		this.factory = factory;
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
		Assert.state(this.factory != null, "The Redis Cluster connection is open only while the test class runs");
		return this.factory;
	}

}
