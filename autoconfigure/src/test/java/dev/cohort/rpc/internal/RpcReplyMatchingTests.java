package dev.cohort.rpc.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.cluster.message.internal.EnvelopeCodec;
import dev.cohort.cluster.message.internal.EnvelopeVerifier;
import dev.cohort.cluster.message.internal.MessageSigner;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ChannelTap;
import dev.cohort.testapp.RpcEndpoints;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reply completes only the call it answers: not a call of a later process that uses the
 * same node id, and not a call of another method.
 */
class RpcReplyMatchingTests {

	private static final RedisServer redis = RedisServer.shared();

	private static final String CALLER = "fixed-caller";

	private final EnvelopeCodec codec = new EnvelopeCodec();

	private final JsonMapper json = JsonMapper.builder().build();

	private TestNodes nodes;

	private ConfigurableApplicationContext callee;

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(redis);
		this.callee = this.nodes.start("cluster.node-id=callee");
	}

	@AfterEach
	void tearDown() {
		this.callee.getBean(RpcEndpoints.class).release.countDown();
		this.nodes.close();
	}

	@Test
	void lateReplyToAPreviousProcessWithTheSameNodeIdCompletesNothing() throws Exception {
		String callerChannel = this.callee.getBean(ClusterKeys.class).nodeChannel(CALLER);
		try (ChannelTap replies = ChannelTap.on(redis, callerChannel)) {
			ConfigurableApplicationContext previous = this.nodes.start("cluster.node-id=" + CALLER);
			assertThat(rpc(previous).call("callee", "whoami", String.class).get(10, TimeUnit.SECONDS))
				.isEqualTo("callee");
			await().until(() -> replies.frames("cohort.rpc.reply").size() == 1);
			byte[] previousReply = replies.frames("cohort.rpc.reply").get(0);
			previous.close();
			// The next process starts more than the verifier's allowance for clocks after
			// the reply was sent, as a real restart does.
			long sentAt = this.codec.decode(previousReply).timestamp();
			ClusterClock clock = this.callee.getBean(ClusterClock.class);
			await().until(() -> clock.millis() > sentAt + EnvelopeVerifier.START_ALLOWANCE_MILLIS);

			ConfigurableApplicationContext next = this.nodes.start("cluster.node-id=" + CALLER);
			CompletableFuture<String> held = rpc(next).withTimeout(Duration.ofSeconds(60))
				.call("callee", "hold", String.class);
			// The previous process's reply arrives late, say delayed in Redis' output
			// buffer.
			publish(callerChannel, previousReply);
			// It was stamped before this process started: the verifier refuses it
			// before the RPC layer sees it. Had it come within the verifier's allowance
			// for clocks, the call ids, which differ between processes
			// (callIdsDifferBetweenProcessesWithTheSameNodeId), would not match.
			await().until(() -> rejected(next, "before-start") == 1.0);
			assertThat(accepted(next, "cohort.rpc.reply")).isZero();
			assertThat(held).isNotDone();
			this.callee.getBean(RpcEndpoints.class).release.countDown();
			assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("released");
		}
	}

	@Test
	void replyThatNamesAnotherMethodIsRefusedAndCounted() throws Exception {
		ConfigurableApplicationContext caller = this.nodes.start("cluster.node-id=" + CALLER);
		String calleeChannel = this.callee.getBean(ClusterKeys.class).nodeChannel("callee");
		try (ChannelTap requests = ChannelTap.on(redis, calleeChannel)) {
			CompletableFuture<String> held = rpc(caller).withTimeout(Duration.ofSeconds(60))
				.call("callee", "hold", String.class);
			await().until(() -> requests.envelopes("cohort.rpc.request").size() == 1);
			Envelope request = requests.envelopes("cohort.rpc.request").get(0);
			String callId = this.json.readTree(request.body()).get("call").asString();
			// A signed reply to this very call, but for another method.
			String body = "{\"call\":\"" + callId + "\",\"method\":\"whoami\",\"value\":\"forged\",\"error\":null}";
			Envelope reply = new Envelope("reply-forged", "cohort.rpc.reply", "callee", CALLER,
					System.currentTimeMillis(), "nonce-reply-forged", body, null);
			publish(this.callee.getBean(ClusterKeys.class).nodeChannel(CALLER),
					this.codec.encode(new MessageSigner(TestNodes.TOKEN, List.of()).sign(reply)));
			await().until(() -> accepted(caller, "cohort.rpc.reply") == 1.0);
			assertThat(held).isNotDone();
			assertThat(refusedReplies(caller, "wrong-method")).isEqualTo(1.0);
			this.callee.getBean(RpcEndpoints.class).release.countDown();
			assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("released");
		}
	}

	@Test
	void callIdsDifferBetweenProcessesWithTheSameNodeId() throws Exception {
		String calleeChannel = this.callee.getBean(ClusterKeys.class).nodeChannel("callee");
		try (ChannelTap requests = ChannelTap.on(redis, calleeChannel)) {
			for (int i = 0; i < 2; i++) {
				ConfigurableApplicationContext caller = this.nodes.start("cluster.node-id=" + CALLER);
				rpc(caller).call("callee", "whoami", String.class).get(10, TimeUnit.SECONDS);
				caller.close();
			}
			await().until(() -> requests.envelopes("cohort.rpc.request").size() == 2);
			List<String> callIds = requests.envelopes("cohort.rpc.request")
				.stream()
				.map((request) -> this.json.readTree(request.body()).get("call"))
				.map(JsonNode::asString)
				.toList();
			assertThat(callIds).doesNotHaveDuplicates();
		}
	}

	private void publish(String channel, byte[] frame) {
		try (RedisConnection connection = this.callee.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	private static ClusterRpc rpc(ConfigurableApplicationContext context) {
		await().until(() -> context.getBean(ClusterNodes.class).isMember("callee"));
		return context.getBean(ClusterRpc.class);
	}

	private static double accepted(ConfigurableApplicationContext context, String type) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find("cohort.messages.accepted")
			.tag("type", type)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double rejected(ConfigurableApplicationContext context, String reason) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find("cohort.messages.rejected")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double refusedReplies(ConfigurableApplicationContext context, String reason) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find("cohort.rpc.replies.refused")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
