package dev.cohort.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.ClusterKeys;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Pub/sub between three nodes on one real Redis.
 */
class ClusterPubSubTests {

	private TestNodes nodes;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	private ConfigurableApplicationContext c;

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(RedisServer.shared());
		this.a = this.nodes.start();
		this.b = this.nodes.start();
		this.c = this.nodes.start();
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void broadcastReachesEveryOtherNode() {
		this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("all", 1));
		await().until(() -> recorder(this.b).greetings.contains(new Greeting("all", 1)));
		await().until(() -> recorder(this.c).greetings.contains(new Greeting("all", 1)));
		assertThat(recorder(this.b).metadata.get(0).origin()).isEqualTo(id(this.a));
		assertThat(recorder(this.b).metadata.get(0).target()).isEqualTo("*");
		assertThat(recorder(this.a).greetings).isEmpty();
	}

	@Test
	void messageToOneNodeReachesOnlyThatNode() {
		this.a.getBean(ClusterPubSub.class).publishTo(id(this.b), "greeting", new Greeting("just b", 2));
		this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("marker", 3));
		await().until(() -> recorder(this.b).greetings.contains(new Greeting("just b", 2)));
		await().until(() -> recorder(this.c).greetings.contains(new Greeting("marker", 3)));
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(2))
			.until(() -> recorder(this.c).greetings.size() == 1);
		assertThat(recorder(this.a).greetings).isEmpty();
	}

	@Test
	void nodeThatHasJustStartedCanBeMessagedAtOnce() {
		ConfigurableApplicationContext d = this.nodes.start();
		this.a.getBean(ClusterPubSub.class).publishTo(id(d), "greeting", new Greeting("welcome", 6));
		await().until(() -> recorder(d).greetings.contains(new Greeting("welcome", 6)));
	}

	@Test
	void messageLargerThanTheNodesAcceptIsRefusedAtTheSender() {
		String big = "x".repeat(2 * 1024 * 1024);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting(big, 7)))
			.withMessageContaining("cluster.messages.max-size");
	}

	@Test
	void messageToOneNodeTravelsOnlyOnThatNodesChannel() {
		ClusterKeys keys = this.a.getBean(ClusterKeys.class);
		List<String> broadcastChannel = new CopyOnWriteArrayList<>();
		List<String> nodeChannel = new CopyOnWriteArrayList<>();
		RedisServer redis = RedisServer.shared();
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub()) {
			connection.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					(channel.equals(keys.channel()) ? broadcastChannel : nodeChannel).add(message);
				}
			});
			connection.sync().subscribe(keys.channel(), keys.nodeChannel(id(this.b)));
			this.a.getBean(ClusterPubSub.class).publishTo(id(this.b), "greeting", new Greeting("private", 4));
			this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("public", 5));
			await().until(() -> broadcastChannel.size() == 1 && nodeChannel.size() == 1);
			assertThat(nodeChannel.get(0)).contains("private");
			assertThat(broadcastChannel.get(0)).contains("public");
		}
		finally {
			client.shutdown();
		}
	}

	private static Recorder recorder(ConfigurableApplicationContext context) {
		return context.getBean(Recorder.class);
	}

	private static String id(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

}
