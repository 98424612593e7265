package dev.cohort.cluster.message.internal;

import java.util.function.LongSupplier;
import java.util.function.Predicate;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.message.RejectionReason;
import dev.cohort.cluster.message.internal.EnvelopeCodec.MalformedEnvelopeException;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Checks every frame that arrives before anything acts on it: size, shape, signature,
 * age, not older than this node ({@link #started()}) and uniqueness, in that order. A
 * refused frame is counted by reason and logged at a limited rate, with the text it
 * carries made safe by {@link RemoteText}; it never reaches a handler.
 */
public final class EnvelopeVerifier {

	/**
	 * How much earlier than this node's start a frame may be stamped and still be
	 * accepted: the error allowed between two nodes' cluster clocks, each set to the
	 * Redis server's time within half a round trip and stepped back by at most
	 * {@link dev.cohort.cluster.ClusterClock#MAX_STEP_BACK_MILLIS}.
	 */
	public static final long START_ALLOWANCE_MILLIS = 1000;

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(EnvelopeVerifier.class), 10_000);

	private final EnvelopeCodec codec;

	private final MessageSigner signer;

	private final ReplayGuard replayGuard;

	private final LongSupplier clock;

	private final long maxAgeMillis;

	private final int maxSizeBytes;

	private final ClusterMetrics metrics;

	/**
	 * The earliest timestamp accepted, on the cluster's clock: this node's start less
	 * {@link #START_ALLOWANCE_MILLIS}; none before {@link #started}.
	 */
	private volatile long earliestMillis = Long.MIN_VALUE;

	/**
	 * Creates a verifier.
	 * @param codec decodes frames
	 * @param signer checks signatures
	 * @param replayGuard remembers nonces
	 * @param clock the cluster's clock, in ms
	 * @param maxAgeMillis how far a timestamp may be from now
	 * @param maxSizeBytes the largest frame accepted
	 * @param metrics counts refusals
	 */
	public EnvelopeVerifier(EnvelopeCodec codec, MessageSigner signer, ReplayGuard replayGuard, LongSupplier clock,
			long maxAgeMillis, int maxSizeBytes, ClusterMetrics metrics) {
		this.codec = codec;
		this.signer = signer;
		this.replayGuard = replayGuard;
		this.clock = clock;
		this.maxAgeMillis = maxAgeMillis;
		this.maxSizeBytes = maxSizeBytes;
		this.metrics = metrics;
	}

	/**
	 * Records that this node starts receiving now, on the cluster's clock: from now on a
	 * frame stamped more than {@link #START_ALLOWANCE_MILLIS} earlier is refused as
	 * {@link RejectionReason#BEFORE_START}. Such a frame was sent before this node
	 * listened, so it was meant for an earlier run of the node (whose memory of nonces is
	 * gone) or for nobody here: it can only arrive as a replay. Call once the clock has
	 * learned the server's time, before subscribing.
	 */
	public void started() {
		this.earliestMillis = this.clock.getAsLong() - START_ALLOWANCE_MILLIS;
	}

	/**
	 * The largest frame accepted.
	 * @return the size in bytes
	 */
	public int maxSizeBytes() {
		return this.maxSizeBytes;
	}

	/**
	 * Opens a frame.
	 * @param frame the frame as received
	 * @param wanted whether this node wants an envelope at all (its address and origin);
	 * checked before the signature, so that frames for other nodes cost no HMAC
	 * @return the envelope, or {@code null} if it is not wanted or was refused
	 */
	public @Nullable Envelope open(byte[] frame, Predicate<Envelope> wanted) {
		if (frame.length > this.maxSizeBytes) {
			return refuse(RejectionReason.OVERSIZED, frame.length + " bytes, more than the " + this.maxSizeBytes
					+ " allowed by cluster.messages.max-size");
		}
		Envelope envelope;
		try {
			envelope = this.codec.decode(frame);
		}
		catch (MalformedEnvelopeException ex) {
			// The parser's message quotes the frame: it is unverified text like any
			// other.
			return refuse(RejectionReason.MALFORMED, RemoteText.detail(ex.getMessage()));
		}
		if (!wanted.test(envelope)) {
			return null;
		}
		if (envelope.signature() == null) {
			return refuse(RejectionReason.UNSIGNED, describe(envelope));
		}
		if (!this.signer.verify(envelope)) {
			return refuse(RejectionReason.BAD_SIGNATURE, describe(envelope)
					+ "; is cluster.server-token the same on every node (or listed in cluster.previous-server-tokens)?");
		}
		long now = this.clock.getAsLong();
		if (Math.abs(now - envelope.timestamp()) > this.maxAgeMillis) {
			return refuse(RejectionReason.STALE, describe(envelope) + " is " + (now - envelope.timestamp())
					+ " ms old, beyond cluster.messages.max-age");
		}
		if (envelope.timestamp() < this.earliestMillis) {
			return refuse(RejectionReason.BEFORE_START,
					describe(envelope) + " was sent "
							+ (this.earliestMillis + START_ALLOWANCE_MILLIS - envelope.timestamp())
							+ " ms before this node started listening: a replay, or a message delayed past the start");
		}
		if (!this.replayGuard.firstSeen(envelope.nonce(), envelope.timestamp(), now)) {
			return refuse(RejectionReason.REPLAYED, describe(envelope));
		}
		return envelope;
	}

	private @Nullable Envelope refuse(RejectionReason reason, String detail) {
		this.metrics.messageRejected(reason);
		log.warn(reason.tag(), "Refused a cluster message (" + reason.tag() + "): " + detail);
		return null;
	}

	private static String describe(Envelope envelope) {
		return "message " + RemoteText.name(envelope.id()) + " of type '" + RemoteText.name(envelope.type())
				+ "' claiming to be from node '" + RemoteText.name(envelope.origin()) + "'";
	}

}
