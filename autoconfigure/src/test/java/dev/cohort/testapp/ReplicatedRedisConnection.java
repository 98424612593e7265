package dev.cohort.testapp;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.internal.redis.ReplicaWait;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master with one replica of its own, and a Lettuce connection factory to the master,
 * for a store's contract run with {@code cluster.redis.wait-replicas=1}: started before
 * the test class, stopped after it, which then checks that writes waited (Redis ran
 * {@code WAIT}) and that every one reached the replica. Register it as a static field
 * with {@code @RegisterExtension}.
 */
public final class ReplicatedRedisConnection implements BeforeAllCallback, AfterAllCallback {

	private final AtomicInteger missed = new AtomicInteger();

	private volatile RedisServer master;

	private volatile RedisServer replica;

	private volatile LettuceConnectionFactory factory;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.master = RedisServer.start();
		this.replica = RedisServer.start("--replicaof", this.master.host(), String.valueOf(this.master.port()));
		this.factory = TestRedis.connectionFactory(this.master);
		StringRedisTemplate redis = new StringRedisTemplate(this.factory);
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			Properties info = redis
				.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("replication"));
			return info != null && String.valueOf(info.getProperty("slave0")).contains("state=online");
		});
	}

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			Properties stats = new StringRedisTemplate(this.factory)
				.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
			assertThat(stats).as("the master's command statistics").containsKey("cmdstat_wait");
			assertThat(this.missed).as("writes that missed the replica").hasValue(0);
		}
		finally {
			this.factory.destroy();
			this.replica.close();
			this.master.close();
		}
	}

	/**
	 * Writes that wait for the replica, on the master's factory: each store gets its own,
	 * to close with it.
	 * @return the writes
	 */
	public ReplicaWait replicaWait() {
		ReplicaWait wait = ReplicaWait.of(factory(), 1, Duration.ofSeconds(5), new ClusterMetrics() {

			@Override
			public void replicasMissed(String operation) {
				ReplicatedRedisConnection.this.missed.incrementAndGet();
			}

		});
		Assert.state(wait != null, "No wait");
		return wait;
	}

	/**
	 * The connection factory to the master, while the test class runs.
	 * @return the factory
	 */
	public LettuceConnectionFactory factory() {
		Assert.state(this.factory != null, "The replicated Redis is there only while the test class runs");
		return this.factory;
	}

}
