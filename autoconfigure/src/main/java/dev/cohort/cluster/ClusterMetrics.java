package dev.cohort.cluster;

import dev.cohort.cluster.message.RejectionReason;

/**
 * Receives the events that Cohort counts. Every method does nothing by default; the
 * Micrometer implementation is used when a {@code MeterRegistry} is present.
 */
public interface ClusterMetrics {

	/** Metrics that record nothing. */
	ClusterMetrics NONE = new ClusterMetrics() {
	};

	/**
	 * A message was published.
	 * @param type the message type
	 */
	default void messageSent(String type) {
	}

	/**
	 * A message passed every check and is handed to its handlers.
	 * @param type the message type
	 */
	default void messageAccepted(String type) {
	}

	/**
	 * A message was refused before it reached any handler.
	 * @param reason why
	 */
	default void messageRejected(RejectionReason reason) {
	}

	/**
	 * A message was dropped because the node could not take more work.
	 * @param type the message type
	 */
	default void messageDropped(String type) {
	}

	/**
	 * A handler threw.
	 * @param type the message type
	 */
	default void handlerFailed(String type) {
	}

	/**
	 * A call this node made has ended.
	 * @param method the method name
	 * @param outcome {@code success}, {@code timeout}, {@code unknown-node} or the kind
	 * of the remote error
	 * @param nanos how long it took
	 */
	default void rpcClientCall(String method, String outcome, long nanos) {
	}

	/**
	 * A call addressed to this node has ended.
	 * @param method the method name
	 * @param outcome {@code success}, the kind of error, or {@code expired} for a request
	 * dropped unrun because it came after its caller's deadline
	 * @param nanos how long it ran
	 */
	default void rpcServerCall(String method, String outcome, long nanos) {
	}

	/**
	 * A reply that came to this node completed no call.
	 * @param reason {@code late} (no call waits for it: it timed out, or was made by
	 * another process), {@code wrong-method} (it names another method than the call's),
	 * {@code wrong-node} (it comes from a node that was not called) or {@code malformed}
	 */
	default void rpcReplyRefused(String reason) {
	}

	/**
	 * Registers a live view of the number of live members.
	 * @param nodes the membership
	 */
	default void bindMembership(ClusterNodes nodes) {
	}

	/**
	 * A job ran on this node.
	 * @param task the task
	 * @param outcome how it ended: done, retry, fail, hand_back, lease_lost when the
	 * store refused its end because its lease was lost, or unrecorded when the store did
	 * not confirm its end (Redis down, restarting, a timeout)
	 * @param nanos how long it ran
	 */
	default void taskRun(String task, String outcome, long nanos) {
	}

	/**
	 * A claim of this node took a job back from a worker whose lease lapsed.
	 * @param queue the job's queue
	 */
	default void taskStalled(String queue) {
	}

	/**
	 * A WebSocket client's frame was refused with an error frame, or its handshake with
	 * HTTP 401.
	 * @param reason the error code: malformed, too-large, unknown-event, bad-request,
	 * busy, rate-limited, too-many-rooms, not-member, no-such-room, refused, unavailable
	 * or failed; or unauthenticated for a handshake
	 */
	default void clientFrameRefused(String reason) {
	}

	/**
	 * A WebSocket handshake was refused, or a connection closed as soon as it was open.
	 * @param reason why: too-many-connections
	 */
	default void clientRefused(String reason) {
	}

	/**
	 * Cohort closed a WebSocket connection for what the client did.
	 * @param reason why: flooding (it sent too fast) or too-slow (it read too slowly)
	 */
	default void clientClosed(String reason) {
	}

	/**
	 * Fewer replicas than {@code cluster.redis.wait-replicas} acknowledged a write within
	 * {@code cluster.redis.wait-timeout}: the write is on the Redis master only.
	 * @param operation what was written: enqueue, recurring, settle, lock or lock-extend
	 */
	default void replicasMissed(String operation) {
	}

}
