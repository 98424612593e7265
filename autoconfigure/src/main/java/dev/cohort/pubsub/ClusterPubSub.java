package dev.cohort.pubsub;

import java.util.concurrent.CompletableFuture;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Typed messages between the nodes of a cluster. Payloads travel as JSON through the
 * application's Jackson mapper inside a signed envelope; handlers are methods annotated
 * with {@link ClusterSubscription} or are added with {@code subscribe}.
 * <p>
 * Delivery is at-most-once: a node that is down, restarting or not yet subscribed when a
 * message is published never sees it, and nothing is retried. Work that must not be lost
 * belongs in a durable queue instead. Handlers run on a pool of threads
 * ({@code cluster.pubsub.handler-threads}), so messages, even from one publisher, may be
 * handled concurrently and out of order; with one handler thread, the messages of each
 * publisher are handled in the order it published them.
 * <p>
 * Whether a node's own broadcasts reach its own handlers is set by
 * {@code cluster.pubsub.receive-own-broadcasts} (default {@code false}); a message sent
 * to this node's own id with {@link #publishTo} always does.
 */
public interface ClusterPubSub {

	/**
	 * Publishes a message to every node.
	 * @param type the message type; names starting with {@code cohort.} are reserved
	 * @param payload the payload, mapped to JSON
	 */
	void publish(String type, Object payload);

	/**
	 * Publishes a message to one node.
	 * @param nodeId the id of the node
	 * @param type the message type; names starting with {@code cohort.} are reserved
	 * @param payload the payload, mapped to JSON
	 * @throws dev.cohort.cluster.UnknownNodeException if no live member has that id
	 */
	void publishTo(String nodeId, String type, Object payload);

	/**
	 * Publishes a message to one node without waiting for Redis to take it: what a
	 * {@link #subscribeNonBlocking non-blocking} handler must use, since it runs on a
	 * Redis I/O thread, which a waiting publish would stall.
	 * @param nodeId the id of the node
	 * @param type the message type; names starting with {@code cohort.} are reserved
	 * @param payload the payload, mapped to JSON
	 * @return completes when Redis took the message, or exceptionally if it did not
	 * @throws dev.cohort.cluster.UnknownNodeException if no live member has that id
	 */
	CompletableFuture<Void> publishToAsync(String nodeId, String type, Object payload);

	/**
	 * Publishes a message to every node without waiting for Redis to take it.
	 * @param type the message type; names starting with {@code cohort.} are reserved
	 * @param payload the payload, mapped to JSON
	 * @return completes when Redis took the message, or exceptionally if it did not
	 */
	CompletableFuture<Void> publishAsync(String type, Object payload);

	/**
	 * Adds a handler for a message type.
	 * @param <T> the payload type
	 * @param type the message type
	 * @param payloadType the class the payload is mapped to
	 * @param handler the handler, called off the Redis I/O threads
	 * @return a handle that removes the handler
	 */
	<T> Subscription subscribe(String type, Class<T> payloadType, ClusterMessageHandler<T> handler);

	/**
	 * Adds a handler for a message type whose payload is generic.
	 * @param <T> the payload type
	 * @param type the message type
	 * @param payloadType the type the payload is mapped to
	 * @param handler the handler, called off the Redis I/O threads
	 * @return a handle that removes the handler
	 */
	<T> Subscription subscribe(String type, ParameterizedTypeReference<T> payloadType,
			ClusterMessageHandler<T> handler);

	/**
	 * Adds a handler that promises never to block, and so runs on the thread that
	 * received the message, a Redis I/O thread, without the hand-off to a handler thread
	 * (about 50 us a message on two CPUs, and a thread wake-up). The handler may compute,
	 * record, complete a future or hand work over, and may publish with
	 * {@link #publishAsync}/{@link #publishToAsync}; it must not wait on anything: no
	 * blocking I/O, no long-held locks, no {@link #publish} (which waits for Redis, on
	 * the very thread it would stall), no RPC call that it waits for. A handler that
	 * breaks the promise delays every message and Redis reply of the node's messaging
	 * connection while it runs.
	 * @param <T> the payload type
	 * @param type the message type
	 * @param payloadType the class the payload is mapped to
	 * @param handler the handler, called on the receiving thread
	 * @return a handle that removes the handler
	 * @see ClusterSubscription#blocking()
	 */
	<T> Subscription subscribeNonBlocking(String type, Class<T> payloadType, ClusterMessageHandler<T> handler);

	/**
	 * Adds a handler that promises never to block for a message type whose payload is
	 * generic; see {@link #subscribeNonBlocking(String, Class, ClusterMessageHandler)}.
	 * @param <T> the payload type
	 * @param type the message type
	 * @param payloadType the type the payload is mapped to
	 * @param handler the handler, called on the receiving thread
	 * @return a handle that removes the handler
	 */
	<T> Subscription subscribeNonBlocking(String type, ParameterizedTypeReference<T> payloadType,
			ClusterMessageHandler<T> handler);

}
