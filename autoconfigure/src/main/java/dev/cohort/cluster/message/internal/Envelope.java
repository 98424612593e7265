package dev.cohort.cluster.message.internal;

import org.jspecify.annotations.Nullable;

/**
 * One message between nodes. Every field but the signature is covered by the signature.
 *
 * @param id unique id of the message
 * @param type logical type name, which selects the handlers
 * @param origin id of the node that sent it
 * @param target {@link #ALL} or the id of the one node it is for
 * @param timestamp when it was sent, on the cluster's clock (ms since the epoch)
 * @param nonce random value that is never sent twice, against replays
 * @param body the payload as JSON text
 * @param signature HMAC-SHA256 of the other fields, keyed by the server token;
 * {@code null} before signing
 */
public record Envelope(String id, String type, String origin, String target, long timestamp, String nonce, String body,
		@Nullable String signature) {

	/** The target that addresses every node. */
	public static final String ALL = "*";

	/**
	 * Whether the message is addressed to every node.
	 * @return {@code true} for a broadcast
	 */
	public boolean isBroadcast() {
		return ALL.equals(this.target);
	}

	/**
	 * A copy that carries the given signature.
	 * @param signature the signature
	 * @return the signed envelope
	 */
	public Envelope withSignature(String signature) {
		return new Envelope(this.id, this.type, this.origin, this.target, this.timestamp, this.nonce, this.body,
				signature);
	}

}
