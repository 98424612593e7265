package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real frame, captured off the channel as one node sent it, replayed to another node
 * that has restarted since: the restarted node has forgotten the nonces it saw, but
 * refuses the frame because it was stamped before the node started.
 */
class RestartReplayTests {

	private TestNodes nodes;

	private RedisClient client;

	@BeforeEach
	void setUp() {
		RedisServer redis = RedisServer.shared();
		this.nodes = TestNodes.redis(redis);
		this.client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
		this.client.shutdown();
	}

	@Test
	void frameCapturedBeforeARestartIsRefusedByTheRestartedNode() {
		ConfigurableApplicationContext a = this.nodes.start("cluster.messages.max-age=60s");
		ConfigurableApplicationContext b = this.nodes.start("cluster.messages.max-age=60s", "cluster.node-id=node-b");
		String channel = a.getBean(ClusterKeys.class).channel();
		await().until(() -> a.getBean(ClusterNodes.class).isMember("node-b"));
		List<byte[]> captured = new CopyOnWriteArrayList<>();
		try (StatefulRedisPubSubConnection<byte[], byte[]> listener = this.client
			.connectPubSub(ByteArrayCodec.INSTANCE)) {
			listener.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(byte[] from, byte[] message) {
					if (new String(message, StandardCharsets.UTF_8).contains("captured")) {
						captured.add(message);
					}
				}

			});
			listener.sync().subscribe(channel.getBytes(StandardCharsets.UTF_8));
			a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("captured", 1));
			await().until(() -> !captured.isEmpty());
		}
		byte[] frame = captured.get(0);
		await().until(() -> b.getBean(Recorder.class).greetings.contains(new Greeting("captured", 1)));
		// The same node, before its restart, refuses the frame from memory.
		publishRaw(a, channel, frame);
		await().until(() -> rejected(b, "replayed") == 1.0);

		b.close();
		// A restart takes longer than the allowance for the nodes' clocks; a warm test
		// JVM
		// may restart faster, and within the allowance the frame is still accepted once.
		long sentAt = new EnvelopeCodec().decode(frame).timestamp();
		ClusterClock clock = a.getBean(ClusterClock.class);
		await().until(() -> clock.millis() > sentAt + EnvelopeVerifier.START_ALLOWANCE_MILLIS);
		ConfigurableApplicationContext restarted = this.nodes.start("cluster.messages.max-age=60s",
				"cluster.node-id=node-b");
		Recorder recorder = restarted.getBean(Recorder.class);
		publishRaw(a, channel, frame);
		await().until(() -> rejected(restarted, "before-start") == 1.0);
		a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("fresh", 2));
		await().until(() -> recorder.greetings.contains(new Greeting("fresh", 2)));
		assertThat(recorder.greetings).containsExactly(new Greeting("fresh", 2));
		assertThat(rejected(restarted, "replayed")).isZero();
		assertThat(rejected(restarted, "stale")).isZero();
	}

	private static void publishRaw(ConfigurableApplicationContext node, String channel, byte[] frame) {
		try (RedisConnection connection = node.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	private static double rejected(ConfigurableApplicationContext node, String reason) {
		Counter counter = node.getBean(MeterRegistry.class)
			.find("cohort.messages.rejected")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
