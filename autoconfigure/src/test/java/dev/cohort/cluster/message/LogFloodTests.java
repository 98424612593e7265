package dev.cohort.cluster.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.cluster.message.internal.EnvelopeCodec;
import dev.cohort.cluster.message.internal.MessageSigner;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.MessageCounters;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Floods of bad frames, bad requests and failing handlers: each leaves a few log lines at
 * most, and none of them carries a line break or a terminal escape from the sender.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogFloodTests {

	/**
	 * At most one line per kind every 10 seconds: a flood of under a minute leaves few.
	 */
	private static final int FEW = 6;

	private static final String FORGED = "FORGED 2026-01-01 ERROR root : the admin password is hunter2";

	private final EnvelopeCodec codec = new EnvelopeCodec();

	private final MessageSigner signer = new MessageSigner(TestNodes.TOKEN, List.of());

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private String self;

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(RedisServer.shared());
		this.node = this.nodes.start();
		this.self = this.node.getBean(ClusterNodes.class).self().id();
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void malformedFramesCannotForgeOrFloodTheLog(CapturedOutput output) {
		List<byte[]> frames = List.of(bytes("nul\u0085" + FORGED.replace(' ', '_') + "x".repeat(5_000)),
				bytes("tru\u001b[2J\u001b[1;1H" + FORGED.replace(' ', '_')),
				bytes("{\"v\":1,\"id\":\"x\",\"ts\":1,\"type\":\"t\u2028" + FORGED + "\"}"));
		flood(output, "Refused a cluster message (malformed)", () -> {
			frames.forEach(this::publishToAll);
			return null;
		});
		assertFewCleanLines(output, "Refused a cluster message (malformed)");
	}

	@Test
	void malformedRpcRequestsCannotForgeOrFloodTheLog(CapturedOutput output) {
		String body = "{\"call\":\"1\",\"method\":\"ping\",\"args\":[],\"reply\":\"x\\n" + FORGED + "\\u001b[2J\"}";
		flood(output, "Ignored a malformed RPC request", () -> {
			publishSigned("cohort.rpc.request", body);
			return null;
		});
		assertFewCleanLines(output, "Ignored a malformed RPC request");
	}

	@Test
	void malformedRpcRepliesCannotForgeOrFloodTheLog(CapturedOutput output) {
		String body = "nul\u0085" + FORGED.replace(' ', '_');
		flood(output, "Ignored a malformed RPC reply", () -> {
			publishSigned("cohort.rpc.reply", body);
			return null;
		});
		assertFewCleanLines(output, "Ignored a malformed RPC reply");
	}

	@Test
	void failingHandlerLogsAFewLinesNotOnePerMessage(CapturedOutput output) {
		ClusterPubSub pubsub = this.node.getBean(ClusterPubSub.class);
		AtomicInteger sent = new AtomicInteger();
		// The contract suites' failing handlers use the same type, so they may just have
		// used up the current interval of this JVM's rate limit: flood first
		flood(output, "Handler of cluster message type 'greeting' failed", () -> {
			pubsub.publishTo(this.self, "greeting", new Greeting(Recorder.FAIL, sent.incrementAndGet()));
			return null;
		});
		for (int i = 0; i < 200; i++) {
			pubsub.publishTo(this.self, "greeting", new Greeting(Recorder.FAIL, i));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> handlerFailures("greeting") == sent.get() + 200);
		assertFewCleanLines(output, "Handler of cluster message type 'greeting' failed");
		assertThat(lines(output)).as("stack trace lines")
			.filteredOn((line) -> line.startsWith("\tat "))
			.hasSizeLessThan(200);
	}

	/**
	 * Sends bad input until the node has logged about it at least once: the log is rate
	 * limited per JVM, and another test may just have used up the current interval.
	 */
	private void flood(CapturedOutput output, String logged, Supplier<Void> send) {
		await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
			for (int i = 0; i < 20; i++) {
				send.get();
			}
			return output.getAll().contains(logged);
		});
	}

	private void assertFewCleanLines(CapturedOutput output, String logged) {
		List<String> lines = lines(output);
		assertThat(lines).filteredOn((line) -> line.contains(logged)).hasSizeBetween(1, FEW);
		assertThat(lines).filteredOn((line) -> line.contains(logged))
			.allSatisfy((line) -> assertThat(line).hasSizeLessThan(1_000));
		assertThat(lines).noneMatch((line) -> line.startsWith("FORGED"));
		assertThat(output.getAll()).doesNotContain("\u001b[2J").doesNotContain("\u0085").doesNotContain("\u2028");
	}

	/**
	 * The captured output cut at every line break a log viewer or terminal might honour.
	 */
	private static List<String> lines(CapturedOutput output) {
		return Arrays.asList(output.getAll().split("\\R"));
	}

	private void publishSigned(String type, String body) {
		Envelope envelope = new Envelope("id-" + System.nanoTime(), type, "attacker", this.self,
				System.currentTimeMillis(), "nonce-" + System.nanoTime(), body, null);
		publish(this.node.getBean(ClusterKeys.class).nodeChannel(this.self),
				this.codec.encode(this.signer.sign(envelope)));
	}

	private void publishToAll(byte[] frame) {
		publish(this.node.getBean(ClusterKeys.class).channel(), frame);
	}

	private void publish(String channel, byte[] frame) {
		try (RedisConnection connection = this.node.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	private double handlerFailures(String type) {
		return MessageCounters.count(this.node.getBean(MeterRegistry.class), "cohort.messages.handler.failures", type);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
