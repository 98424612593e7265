package dev.cohort.rpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.cluster.message.internal.EnvelopeCodec;
import dev.cohort.cluster.message.internal.MessageSigner;
import dev.cohort.rpc.BroadcastResult.Failure;
import dev.cohort.rpc.BroadcastResult.NoAnswer;
import dev.cohort.rpc.BroadcastResult.Value;
import dev.cohort.rpc.internal.RpcClient;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.RpcEndpoints;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * RPC between three nodes on one real Redis.
 */
class ClusterRpcTests {

	private TestNodes nodes;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	private ConfigurableApplicationContext c;

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(RedisServer.shared());
		this.a = this.nodes.start();
		this.b = this.nodes.start();
		this.c = this.nodes.start(RpcEndpoints.FAIL_WHOAMI + "=true");
		await().until(() -> this.a.getBean(ClusterNodes.class).members().size() == 3);
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void broadcastGathersEveryNodesValueOrError() throws Exception {
		BroadcastResult<String> result = rpc(this.a).broadcast("whoami", String.class).get(10, TimeUnit.SECONDS);
		assertThat(result.outcomes()).containsOnlyKeys(id(this.a), id(this.b), id(this.c));
		assertThat(result.values())
			.containsExactlyInAnyOrderEntriesOf(Map.of(id(this.a), id(this.a), id(this.b), id(this.b)));
		assertThat(result.outcome(id(this.c))).get()
			.isInstanceOfSatisfying(Failure.class, (failure) -> assertThat(failure.error().getExceptionType())
				.isEqualTo(IllegalStateException.class.getName()));
		assertThat(result.allSucceeded()).isFalse();
	}

	@Test
	void broadcastCanLeaveTheCallerOut() throws Exception {
		BroadcastResult<Integer> result = rpc(this.a).excludingSelf()
			.broadcast("add", Integer.class, 1, 2)
			.get(10, TimeUnit.SECONDS);
		assertThat(result.outcomes()).containsOnlyKeys(id(this.b), id(this.c));
		assertThat(result.allSucceeded()).isTrue();
	}

	@Test
	void nodeThatDiedIsNoAnswerAtTheDeadline() throws Exception {
		try (ForkedNode dying = ForkedNode.start(this.nodes.arguments("cluster.node-id=dying-node",
				"cluster.node-timeout=1m", "cluster.heartbeat-interval=10s"))) {
			dying.awaitMemberOf(this.a, "dying-node");
			dying.kill();
			long start = System.nanoTime();
			BroadcastResult<String> result = rpc(this.a).withTimeout(Duration.ofSeconds(2))
				.broadcast("whoami", String.class)
				.get(10, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(result.outcome("dying-node")).contains(new NoAnswer<>());
			assertThat(result.outcome(id(this.b))).contains(new Value<>(id(this.b)));
		}
	}

	@Test
	void tenThousandCallsWithSixtyFourInFlightAllReturnTheRightValues() throws Exception {
		ClusterRpc rpc = rpc(this.a).withTimeout(Duration.ofSeconds(30));
		String target = id(this.b);
		Semaphore inFlight = new Semaphore(64);
		AtomicInteger right = new AtomicInteger();
		Map<Integer, Throwable> wrong = new ConcurrentHashMap<>();
		for (int i = 0; i < 10_000; i++) {
			inFlight.acquire();
			int n = i;
			rpc.call(target, "add", Integer.class, n, 1).whenComplete((sum, error) -> {
				if (error == null && sum == n + 1) {
					right.incrementAndGet();
				}
				else {
					wrong.put(n, (error != null) ? error : new AssertionError("got " + sum));
				}
				inFlight.release();
			});
		}
		inFlight.acquire(64);
		assertThat(wrong).isEmpty();
		assertThat(right).hasValue(10_000);
		assertThat(this.a.getBean(RpcClient.class).pendingCalls()).isZero();
	}

	@Test
	void forgedRequestNeverRunsAMethod() throws Exception {
		String target = id(this.b);
		RpcEndpoints endpoints = this.b.getBean(RpcEndpoints.class);
		String body = "{\"call\":\"1\",\"method\":\"set-flag\",\"args\":[],\"reply\":false}";
		Envelope request = new Envelope("id-forged", "cohort.rpc.request", id(this.a), target,
				System.currentTimeMillis(), "nonce-forged", body, null);
		MessageSigner forger = new MessageSigner("a-token-that-is-not-the-cluster-token-01234", List.of());
		EnvelopeCodec codec = new EnvelopeCodec();
		ClusterKeys keys = this.b.getBean(ClusterKeys.class);
		publishRaw(keys.nodeChannel(target), codec.encode(forger.sign(request)));
		publishRaw(keys.nodeChannel(target), codec.encode(request));
		rpc(this.a).send(target, "ping");
		await().until(() -> endpoints.pings.get() == 1);
		assertThat(endpoints.flag).isFalse();
	}

	@Test
	void replayedRequestRunsOnce() {
		String target = id(this.b);
		RpcEndpoints endpoints = this.b.getBean(RpcEndpoints.class);
		Envelope request = new Envelope("id-replayed", "cohort.rpc.request", id(this.a), target,
				System.currentTimeMillis(), "nonce-replayed",
				"{\"call\":\"1\",\"method\":\"ping\",\"args\":[],\"reply\":false}", null);
		byte[] frame = new EnvelopeCodec().encode(new MessageSigner(TestNodes.TOKEN, List.of()).sign(request));
		String channel = this.b.getBean(ClusterKeys.class).nodeChannel(target);
		publishRaw(channel, frame);
		publishRaw(channel, frame);
		rpc(this.a).call(target, "set-flag", Void.class).join();
		assertThat(endpoints.pings).hasValue(1);
	}

	@Test
	void callConnectionReachesTheNodeThatHoldsIt() throws Exception {
		ConfigurableApplicationContext holder = this.nodes.start("cluster.node-id=holder-node");
		ConfigurableApplicationContext caller = this.nodes.start("test.connections.locator=properties",
				"test.connections.conn-1=holder-node");
		ClusterRpc rpc = rpc(caller);
		assertThat(rpc.callConnection("conn-1", "whoami", String.class).get(10, TimeUnit.SECONDS))
			.isEqualTo("holder-node");
		rpc.sendConnection("conn-1", "ping");
		await().until(() -> holder.getBean(RpcEndpoints.class).pings.get() == 1);
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> rpc.callConnection("conn-2", "whoami", String.class))
			.withMessageContaining("conn-2");
	}

	private void publishRaw(String channel, byte[] frame) {
		try (RedisConnection connection = this.b.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	private static ClusterRpc rpc(ConfigurableApplicationContext context) {
		return context.getBean(ClusterRpc.class);
	}

	private static String id(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

}
