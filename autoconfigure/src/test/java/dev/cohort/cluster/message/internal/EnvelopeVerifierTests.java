package dev.cohort.cluster.message.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.message.RejectionReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier with the real clock, signer and replay guard: a replay stays refused
 * whatever samples of Redis' time the clock is given, and once the node has started a
 * frame stamped before its start is refused.
 */
class EnvelopeVerifierTests {

	private static final String TOKEN = "verifier-token-0123456789abcdef0123456789";

	private static final long MAX_AGE = 2_000;

	private final EnvelopeCodec codec = new EnvelopeCodec();

	private final MessageSigner signer = new MessageSigner(TOKEN, List.of());

	private final ClusterClock clock = new ClusterClock();

	private final List<RejectionReason> rejections = new CopyOnWriteArrayList<>();

	private final EnvelopeVerifier verifier = new EnvelopeVerifier(this.codec, this.signer, new ReplayGuard(MAX_AGE),
			this.clock::millis, MAX_AGE, 1024 * 1024, new ClusterMetrics() {

				@Override
				public void messageRejected(RejectionReason reason) {
					EnvelopeVerifierTests.this.rejections.add(reason);
				}

			});

	@Test
	void frameStampedBeforeTheNodeStartedIsRefusedBeyondTheAllowance() {
		long beforeStart = this.clock.millis() - EnvelopeVerifier.START_ALLOWANCE_MILLIS - 500;
		assertThat(open(frame("early-unstarted", beforeStart))).isNotNull();
		this.verifier.started();
		assertThat(open(frame("early", beforeStart))).isNull();
		assertThat(this.rejections).containsExactly(RejectionReason.BEFORE_START);
		long withinAllowance = this.clock.millis() - EnvelopeVerifier.START_ALLOWANCE_MILLIS + 500;
		assertThat(open(frame("within-allowance", withinAllowance))).isNotNull();
		assertThat(open(frame("fresh"))).isNotNull();
		assertThat(this.rejections).containsExactly(RejectionReason.BEFORE_START);
	}

	@Test
	void replayIsStillRefusedAfterTheClockIsPushedBack() {
		long now = System.currentTimeMillis();
		this.clock.observe(now, now, now);
		byte[] first = frame("first");
		assertThat(open(first)).isNotNull();
		// A sample says Redis' clock is 10 seconds ahead: the first message is now stale,
		// and the messages that arrive make the guard forget its nonce.
		long later = System.currentTimeMillis();
		this.clock.observe(later + 10_000, later, later);
		for (int i = 0; i < 10; i++) {
			assertThat(open(frame("after-" + i))).isNotNull();
		}
		assertThat(open(first)).isNull();
		// The next sample says it is not: the clock must not go back to where the first
		// message is young again.
		long latest = System.currentTimeMillis();
		this.clock.observe(latest, latest, latest);
		assertThat(open(first)).isNull();
	}

	private Envelope open(byte[] frame) {
		return this.verifier.open(frame, (envelope) -> true);
	}

	private byte[] frame(String id) {
		return frame(id, this.clock.millis());
	}

	private byte[] frame(String id, long timestamp) {
		Envelope envelope = new Envelope(id, "greeting", "node-a", "node-b", timestamp,
				"nonce-" + id + "-" + System.nanoTime(), "{}", null);
		return this.codec.encode(this.signer.sign(envelope));
	}

}
