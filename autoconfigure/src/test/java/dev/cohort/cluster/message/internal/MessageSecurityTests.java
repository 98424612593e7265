package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
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
 * Bad frames published straight to the channel of a running node: each is refused and
 * counted by reason, no handler runs, and the node still serves the next good message.
 */
class MessageSecurityTests {

	private static final String WRONG_TOKEN = "not-the-cluster-token-0123456789abcdefghij";

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private String self;

	private final EnvelopeCodec codec = new EnvelopeCodec();

	private final MessageSigner signer = new MessageSigner(TestNodes.TOKEN, List.of());

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(RedisServer.shared());
		this.node = this.nodes.start("cluster.messages.max-size=2KB", "cluster.messages.max-age=5s");
		this.self = this.node.getBean(ClusterNodes.class).self().id();
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void nonJsonIsRefusedAsMalformed() {
		publishRaw("hello, not json".getBytes(StandardCharsets.UTF_8));
		assertRefusedThenServesNext("malformed");
	}

	@Test
	void envelopeWithMissingFieldsIsRefusedAsMalformed() {
		publishRaw("{\"v\":1,\"type\":\"greeting\",\"body\":\"{}\"}".getBytes(StandardCharsets.UTF_8));
		assertRefusedThenServesNext("malformed");
	}

	@Test
	void unsignedEnvelopeIsRefused() {
		publishRaw(this.codec.encode(greeting(System.currentTimeMillis())));
		assertRefusedThenServesNext("unsigned");
	}

	@Test
	void envelopeSignedWithAnotherTokenIsRefused() {
		MessageSigner forger = new MessageSigner(WRONG_TOKEN, List.of());
		publishRaw(this.codec.encode(forger.sign(greeting(System.currentTimeMillis()))));
		assertRefusedThenServesNext("bad-signature");
	}

	@Test
	void envelopeWhoseSignedFieldsWereChangedIsRefused() {
		Envelope signed = this.signer.sign(greeting(System.currentTimeMillis()));
		Envelope tampered = new Envelope(signed.id(), signed.type(), signed.origin(), signed.target(),
				signed.timestamp(), signed.nonce(), "{\"text\":\"evil\",\"number\":666}", signed.signature());
		publishRaw(this.codec.encode(tampered));
		assertRefusedThenServesNext("bad-signature");
	}

	@Test
	void signatureInAnotherBase64EncodingIsRefused() {
		Envelope signed = this.signer.sign(greeting(System.currentTimeMillis()));
		String reencoded = MessageSignerTests.flipLowBitOfLastCharacter(signed.signature());
		publishRaw(this.codec.encode(signed.withSignature(reencoded)));
		assertRefusedThenServesNext("bad-signature");
	}

	@Test
	void staleEnvelopeIsRefused() {
		long tenMinutesAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
		publishRaw(this.codec.encode(this.signer.sign(greeting(tenMinutesAgo))));
		assertRefusedThenServesNext("stale");
	}

	@Test
	void replayedEnvelopeIsRefusedAndHandledOnce() {
		byte[] frame = this.codec.encode(this.signer.sign(greeting(System.currentTimeMillis())));
		publishRaw(frame);
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("forged", 1)));
		publishRaw(frame);
		await().until(() -> rejected("replayed") == 1.0);
		assertRefusedThenServesNext("replayed");
		assertThat(recorder.greetings).filteredOn((greeting) -> greeting.text().equals("forged")).hasSize(1);
	}

	@Test
	void replayIsStillRefusedAfterTheClockIsPushedBack() {
		ClusterClock clock = this.node.getBean(ClusterClock.class);
		Recorder recorder = this.node.getBean(Recorder.class);
		byte[] first = this.codec.encode(this.signer.sign(greeting(clock.millis())));
		publishRaw(first);
		await().until(() -> recorder.greetings.contains(new Greeting("forged", 1)));
		// A bad sample puts the node's clock 20 s ahead; messages stamped on it arrive
		// and
		// make the node forget the first message's nonce, which is stale by now.
		long now = System.currentTimeMillis();
		clock.observe(now + 20_000, now, now);
		long pushed = clock.millis() - System.currentTimeMillis();
		for (int i = 0; i < 10; i++) {
			publishRaw(this.codec.encode(this.signer.sign(greeting(clock.millis()))));
		}
		await().until(() -> recorder.greetings.size() == 11);
		// The next heartbeats sample Redis' real time: the clock comes back, but slowly.
		await().until(() -> clock.millis() - System.currentTimeMillis() < pushed - 50);
		publishRaw(first);
		await().until(() -> rejected("stale") == 1.0);
		assertThat(recorder.greetings).filteredOn((greeting) -> greeting.text().equals("forged")).hasSize(11);
	}

	@Test
	void oversizedFrameIsRefused() {
		String big = "x".repeat(4096);
		Envelope envelope = new Envelope("id-1", "greeting", "attacker", this.self, System.currentTimeMillis(),
				"nonce-big", "{\"text\":\"" + big + "\",\"number\":1}", null);
		publishRaw(this.codec.encode(this.signer.sign(envelope)));
		assertRefusedThenServesNext("oversized");
	}

	private Envelope greeting(long timestamp) {
		return new Envelope("id-" + System.nanoTime(), "greeting", "attacker", this.self, timestamp,
				"nonce-" + System.nanoTime(), "{\"text\":\"forged\",\"number\":1}", null);
	}

	private void publishRaw(byte[] frame) {
		String channel = this.node.getBean(ClusterKeys.class).channel();
		try (RedisConnection connection = this.node.getBean(RedisConnectionFactory.class).getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	private void assertRefusedThenServesNext(String reason) {
		await().until(() -> rejected(reason) == 1.0);
		Recorder recorder = this.node.getBean(Recorder.class);
		this.node.getBean(ClusterPubSub.class).publishTo(this.self, "greeting", new Greeting("good", 42));
		await().until(() -> recorder.greetings.contains(new Greeting("good", 42)));
		if (!reason.equals("replayed")) {
			assertThat(recorder.greetings).containsExactly(new Greeting("good", 42));
		}
	}

	private double rejected(String reason) {
		Counter counter = this.node.getBean(MeterRegistry.class)
			.find("cohort.messages.rejected")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
