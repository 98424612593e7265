package dev.cohort.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Calls methods that nodes expose with {@link ClusterRpcMethod}: on every node, on one
 * node, or on the node that holds a WebSocket connection. Arguments and results travel as
 * JSON in signed envelopes; only exposed methods can be called.
 * <p>
 * Every call returns a future that completes with the result, or exceptionally with a
 * {@link ClusterRpcException}: a {@link RemoteCallException} as soon as the remote node
 * answers with an error, or an {@link RpcTimeoutException} when no answer came within the
 * timeout ({@code cluster.rpc-timeout}, or {@link #withTimeout}). The futures complete on
 * the thread that received the answer, which may be a Redis I/O thread: callbacks
 * attached with the non-async methods of {@link CompletableFuture} must not block; use
 * {@code get}/{@code join} or the {@code *Async} variants for work that may.
 */
public interface ClusterRpc {

	/**
	 * Calls a method on one node.
	 * @param <T> the result type
	 * @param nodeId the node
	 * @param method the name the method is exposed under
	 * @param resultType the class the result is mapped to ({@code Void.class} for none)
	 * @param args the arguments, mapped to the method's parameter types, each may be
	 * {@code null}
	 * @return the result; failed at once with
	 * {@link dev.cohort.cluster.UnknownNodeException} if no live node has the id
	 */
	<T> CompletableFuture<T> call(String nodeId, String method, Class<T> resultType, @Nullable Object... args);

	/**
	 * Calls a method on one node whose result type is generic, such as
	 * {@code List<Price>}.
	 * @param <T> the result type
	 * @param nodeId the node
	 * @param method the name the method is exposed under
	 * @param resultType the type the result is mapped to
	 * @param args the arguments, mapped to the method's parameter types, each may be
	 * {@code null}
	 * @return the result; failed at once with
	 * {@link dev.cohort.cluster.UnknownNodeException} if no live node has the id
	 */
	<T> CompletableFuture<T> call(String nodeId, String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... args);

	/**
	 * Calls a method on every live node, this one included unless {@link #excludingSelf}.
	 * The future completes when every node has answered, or at the timeout with what has
	 * come; it never completes exceptionally for a node's failure, which its slot in the
	 * result holds instead.
	 * @param <T> the result type
	 * @param method the name the method is exposed under
	 * @param resultType the class each result is mapped to
	 * @param args the arguments
	 * @return each node's outcome
	 */
	<T> CompletableFuture<BroadcastResult<T>> broadcast(String method, Class<T> resultType, @Nullable Object... args);

	/**
	 * Calls a method on the node that holds a WebSocket connection.
	 * @param <T> the result type
	 * @param connectionId the connection
	 * @param method the name the method is exposed under
	 * @param resultType the class the result is mapped to
	 * @param args the arguments
	 * @return the result
	 * @throws UnknownConnectionException at once if no node holds the connection
	 */
	<T> CompletableFuture<T> callConnection(String connectionId, String method, Class<T> resultType,
			@Nullable Object... args);

	/**
	 * Runs a method on one node without waiting for, or receiving, an answer.
	 * @param nodeId the node
	 * @param method the name the method is exposed under
	 * @param args the arguments
	 * @throws dev.cohort.cluster.UnknownNodeException at once if no live node has the id
	 */
	void send(String nodeId, String method, @Nullable Object... args);

	/**
	 * Runs a method on every live node, this one included unless {@link #excludingSelf},
	 * without waiting for answers.
	 * @param method the name the method is exposed under
	 * @param args the arguments
	 */
	void sendAll(String method, @Nullable Object... args);

	/**
	 * Runs a method on the node that holds a connection without waiting for an answer.
	 * @param connectionId the connection
	 * @param method the name the method is exposed under
	 * @param args the arguments
	 */
	void sendConnection(String connectionId, String method, @Nullable Object... args);

	/**
	 * The same calls with another timeout.
	 * @param timeout how long to wait for answers
	 * @return a view of this {@code ClusterRpc}
	 */
	ClusterRpc withTimeout(Duration timeout);

	/**
	 * The same calls, with broadcasts that leave this node out.
	 * @return a view of this {@code ClusterRpc}
	 */
	ClusterRpc excludingSelf();

	/**
	 * A typed client: each method of the interface calls the method exposed under the
	 * name in its {@link ClusterRpcMethod} annotation, or under its own name, on one
	 * node. A method returning {@link CompletableFuture} returns at once; any other waits
	 * for the result.
	 * @param <C> the interface
	 * @param api the interface
	 * @param nodeId the node every call goes to
	 * @return the client
	 */
	<C> C client(Class<C> api, String nodeId);

}
