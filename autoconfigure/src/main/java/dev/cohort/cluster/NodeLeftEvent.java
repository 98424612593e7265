package dev.cohort.cluster;

/**
 * Published on every node when another node stops being a live member.
 *
 * @param node the node that left
 * @param reason why it left
 */
public record NodeLeftEvent(NodeInfo node, Reason reason) {

	/**
	 * Why a node left.
	 */
	public enum Reason {

		/** The node stopped cleanly and said so. */
		LEFT,

		/** The node's heartbeats stopped for longer than the node timeout. */
		TIMED_OUT

	}

}
