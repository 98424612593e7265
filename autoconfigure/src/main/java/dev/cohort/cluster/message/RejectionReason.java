package dev.cohort.cluster.message;

import java.util.Locale;

/**
 * Why a message from the channel was refused before it reached any handler.
 */
public enum RejectionReason {

	/** Larger than {@code cluster.messages.max-size}. */
	OVERSIZED,

	/** Not a well-formed envelope: not JSON, or fields missing or of the wrong type. */
	MALFORMED,

	/** No signature. */
	UNSIGNED,

	/** A signature that no accepted server token produces. */
	BAD_SIGNATURE,

	/** Older than {@code cluster.messages.max-age}, or as far in the future. */
	STALE,

	/** A nonce already seen: the same message delivered again. */
	REPLAYED,

	/**
	 * Stamped before this node started, less a second's allowance for the nodes' clocks:
	 * sent to an earlier run of the node, or to nobody, and replayed. The nonces of the
	 * earlier run are gone with it.
	 */
	BEFORE_START;

	/**
	 * The value of the {@code reason} metric tag.
	 * @return the lower-case, hyphenated name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
