package dev.cohort.rpc.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import dev.cohort.rpc.BroadcastResult.Failure;
import dev.cohort.rpc.BroadcastResult.NoAnswer;
import dev.cohort.rpc.BroadcastResult.Outcome;
import dev.cohort.rpc.BroadcastResult.Value;
import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.ClusterRpcException;
import dev.cohort.rpc.ConnectionLocator;
import dev.cohort.rpc.RemoteCallException.Kind;
import dev.cohort.rpc.RemoteCallException;
import dev.cohort.rpc.RpcTimeoutException;
import dev.cohort.rpc.UnknownConnectionException;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Makes calls and matches the replies to them. Every call waiting for replies has an
 * entry in the pending table, keyed by its call id, with its deadline; whichever of the
 * last reply and the deadline comes first removes it, so nothing stays behind. The reply
 * handler is in place before the first request is sent.
 * <p>
 * A reply completes a call only if it has the call's id, comes from a node that was
 * called, and names the method that was called. Call ids start with a random prefix drawn
 * for each client, so that a process that reuses a node id (a fixed
 * {@code cluster.node-id}) never takes a late reply to its predecessor's calls for an
 * answer. Each request carries its deadline on the cluster clock, so that the called node
 * drops it if it comes too late; when the deadline passes, a request that still waits to
 * be sent (while Redis is unreachable) is cancelled.
 */
public class RpcClient implements SmartLifecycle {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(RpcClient.class), 10_000);

	private final ClusterBus bus;

	private final ClusterNodes nodes;

	private final JsonMapper mapper;

	private final RpcWireCodec wire;

	private final ConnectionLocator connections;

	private final ClusterMetrics metrics;

	private final ClusterClock clock;

	/** Random, so that call ids differ between processes with the same node id. */
	private final String callIdPrefix = newCallIdPrefix();

	private final AtomicLong callIds = new AtomicLong();

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/**
	 * How often calls past their deadline are looked for; timeouts are this late at most.
	 */
	private static final long SWEEP_MILLIS = 20;

	private volatile @Nullable ScheduledExecutorService sweeper;

	private volatile ClusterBus.@Nullable Registration registration;

	/**
	 * Creates the client of one node.
	 * @param bus carries requests and replies
	 * @param nodes tells which nodes are live
	 * @param mapper maps arguments and results
	 * @param connections finds the node that holds a connection
	 * @param metrics times calls
	 * @param clock the cluster clock, which requests' deadlines are on
	 */
	public RpcClient(ClusterBus bus, ClusterNodes nodes, JsonMapper mapper, ConnectionLocator connections,
			ClusterMetrics metrics, ClusterClock clock) {
		this.bus = bus;
		this.nodes = nodes;
		this.mapper = mapper;
		this.wire = new RpcWireCodec(mapper);
		this.connections = connections;
		this.metrics = metrics;
		this.clock = clock;
	}

	<T> CompletableFuture<T> call(String nodeId, String method, JavaType resultType, Object[] args, Duration timeout) {
		long start = System.nanoTime();
		if (!this.nodes.isReachable(nodeId)) {
			this.metrics.rpcClientCall(method, "unknown-node", System.nanoTime() - start);
			return CompletableFuture.failedFuture(new UnknownNodeException(nodeId));
		}
		SingleCall<T> call = new SingleCall<>(method, nodeId, resultType, start);
		send(call, List.of(nodeId), method, args, timeout);
		return call.future;
	}

	<T> CompletableFuture<BroadcastResult<T>> broadcast(String method, JavaType resultType, Object[] args,
			Duration timeout, boolean includeSelf) {
		String self = this.nodes.self().id();
		List<String> expected = new ArrayList<>();
		for (NodeInfo member : this.nodes.members()) {
			if (includeSelf || !member.id().equals(self)) {
				expected.add(member.id());
			}
		}
		BroadcastCall<T> call = new BroadcastCall<>(method, resultType, expected, System.nanoTime());
		if (expected.isEmpty()) {
			call.finish();
			return call.future;
		}
		// Servers ignore their own broadcasts, so this node is called on its own channel.
		List<String> targets = new ArrayList<>();
		if (expected.size() > (expected.contains(self) ? 1 : 0)) {
			targets.add(Envelope.ALL);
		}
		if (expected.contains(self)) {
			targets.add(self);
		}
		send(call, targets, method, args, timeout);
		return call.future;
	}

	String nodeOfConnection(String connectionId) {
		return this.connections.nodeOf(connectionId).orElseThrow(() -> new UnknownConnectionException(connectionId));
	}

	void sendOnly(String nodeId, String method, Object[] args) {
		if (!this.nodes.isReachable(nodeId)) {
			throw new UnknownNodeException(nodeId);
		}
		this.bus.send(RpcWire.REQUEST, nodeId, request("-", method, args, null));
	}

	void sendToAll(String method, Object[] args, boolean includeSelf) {
		String request = request("-", method, args, null);
		this.bus.send(RpcWire.REQUEST, Envelope.ALL, request);
		if (includeSelf) {
			this.bus.send(RpcWire.REQUEST, this.nodes.self().id(), request);
		}
	}

	private void send(Pending call, List<String> targets, String method, Object[] args, Duration timeout) {
		String id = this.callIdPrefix + Long.toString(this.callIds.incrementAndGet(), 36);
		this.pending.put(id, call);
		try {
			call.deadline(timeout);
			String request = request(id, method, args, this.clock.millis() + timeout.toMillis());
			CompletableFuture<?>[] publishes = new CompletableFuture<?>[targets.size()];
			for (int i = 0; i < publishes.length; i++) {
				publishes[i] = this.bus.sendAsync(RpcWire.REQUEST, targets.get(i), request);
				publishes[i].whenComplete((sent, ex) -> {
					if (ex != null) {
						failed(id, ex);
					}
				});
			}
			call.publishes = publishes;
		}
		catch (RuntimeException ex) {
			failed(id, ex);
		}
	}

	private void failed(String id, Throwable ex) {
		Pending call = this.pending.get(id);
		if (call != null && call.end()) {
			remove(id);
			call.fail((ex instanceof RuntimeException runtime) ? runtime : call.notSent(ex));
		}
	}

	/**
	 * A request's body.
	 * @param deadline when the caller gives up, on the cluster clock; {@code null} for
	 * fire-and-forget requests, which wait for no answer
	 */
	private String request(String id, String method, Object[] args, @Nullable Long deadline) {
		List<String> arguments = new ArrayList<>(args.length);
		for (Object arg : args) {
			arguments.add(this.mapper.writeValueAsString(arg));
		}
		return this.wire.writeRequest(id, method, arguments, deadline != null, deadline);
	}

	private void onReply(Envelope envelope) {
		RpcWire.Reply reply;
		try {
			reply = this.wire.readReply(envelope.body());
		}
		catch (JacksonException ex) {
			refuse("malformed", "Ignored a malformed RPC reply from node '" + RemoteText.name(envelope.origin()) + "': "
					+ RemoteText.detail(ex.getOriginalMessage()));
			return;
		}
		String callId = reply.call();
		Pending call = (callId != null) ? this.pending.get(callId) : null;
		if (callId == null || call == null) {
			// Its call has timed out, or was made by another process: not worth a line.
			this.metrics.rpcReplyRefused("late");
			return;
		}
		if (!call.method.equals(reply.method())) {
			refuse("wrong-method",
					"Ignored a reply from node '" + RemoteText.name(envelope.origin()) + "' to call "
							+ RemoteText.name(reply.call()) + " of '" + RemoteText.name(call.method)
							+ "' that names method '" + RemoteText.name(reply.method()) + "'");
			return;
		}
		if (!call.expects(envelope.origin())) {
			refuse("wrong-node",
					"Ignored a reply to call " + RemoteText.name(reply.call()) + " of '" + RemoteText.name(call.method)
							+ "' from node '" + RemoteText.name(envelope.origin()) + "', which was not called");
			return;
		}
		if (call.answer(envelope.origin(), reply) && call.end()) {
			// Out of the table before the caller learns of it, so nothing is left behind.
			remove(callId);
			call.complete();
		}
	}

	private void refuse(String reason, String message) {
		this.metrics.rpcReplyRefused(reason);
		log.warn(reason, message);
	}

	private void expire(String id) {
		Pending call = this.pending.remove(id);
		if (call != null && call.end()) {
			call.cancelPublishes();
			call.expire();
		}
	}

	/**
	 * Expires the calls past their deadline. One sweep every few milliseconds costs less
	 * than a timer per call, which would wake a timer thread for every call made.
	 */
	private void sweep() {
		long now = System.nanoTime();
		this.pending.forEach((id, call) -> {
			if (now - call.deadlineNanos >= 0) {
				expire(id);
			}
		});
	}

	private void remove(String id) {
		this.pending.remove(id);
	}

	/**
	 * How many calls wait for replies.
	 * @return the size of the pending table
	 */
	public int pendingCalls() {
		return this.pending.size();
	}

	private RemoteCallException remoteError(String method, String nodeId, RpcWire.Error error) {
		Kind kind = Kind.FAILED;
		for (Kind candidate : Kind.values()) {
			if (candidate.tag().equals(error.kind())) {
				kind = candidate;
			}
		}
		return new RemoteCallException(kind, method, nodeId, error.type(), error.message(), error.stack());
	}

	private <T> @Nullable T read(@Nullable JsonNode value, JavaType type) {
		return (value == null || value.isNull()) ? null : this.mapper.treeToValue(value, type);
	}

	@Override
	public void start() {
		ScheduledExecutorService sweeper = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("cohort-rpc-timeouts-"));
		sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
		this.sweeper = sweeper;
		this.registration = this.bus.subscribeInline(RpcWire.REPLY, this::onReply);
	}

	@Override
	public void stop() {
		ClusterBus.Registration registration = this.registration;
		if (registration != null) {
			registration.cancel();
		}
		this.registration = null;
		ScheduledExecutorService sweeper = this.sweeper;
		if (sweeper != null) {
			sweeper.shutdownNow();
		}
		this.sweeper = null;
		this.pending.keySet().forEach(this::expire);
	}

	@Override
	public boolean isRunning() {
		return this.registration != null;
	}

	@Override
	public int getPhase() {
		// Listening for replies before membership announces this node.
		return ClusterBus.PHASE;
	}

	private static String newCallIdPrefix() {
		return Long.toString(new SecureRandom().nextLong() >>> 1, 36) + ".";
	}

	/**
	 * A call waiting for replies.
	 */
	private abstract static class Pending {

		final String method;

		/**
		 * The publishes of the request, so that those that still wait for Redis are
		 * cancelled when the call expires.
		 */
		volatile CompletableFuture<?> @Nullable [] publishes;

		private volatile Duration timeout = Duration.ZERO;

		Pending(String method) {
			this.method = method;
		}

		volatile long deadlineNanos = Long.MAX_VALUE;

		void deadline(Duration timeout) {
			this.timeout = timeout;
			this.deadlineNanos = System.nanoTime() + timeout.toNanos();
		}

		Duration timeout() {
			return this.timeout;
		}

		private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

		/**
		 * Claims the end of the call: the reply, the timeout and a failure to send race,
		 * and only the first may complete it.
		 * @return {@code true} for the first caller
		 */
		boolean end() {
			return this.ended.compareAndSet(false, true);
		}

		/**
		 * Cancels the publishes of the request that Redis has not taken yet: a request
		 * kept by the driver while Redis is unreachable is then never sent. (One that is
		 * sent anyway is dropped by the called node, as it comes after its deadline.)
		 */
		void cancelPublishes() {
			CompletableFuture<?>[] publishes = this.publishes;
			if (publishes != null) {
				for (CompletableFuture<?> publish : publishes) {
					publish.cancel(false);
				}
			}
		}

		/**
		 * Whether the call waits for a reply of the node.
		 * @param nodeId the node that sent a reply
		 * @return whether that node was called
		 */
		abstract boolean expects(String nodeId);

		/**
		 * Takes the reply of a node that was called.
		 * @return {@code true} when the call needs no more replies
		 */
		abstract boolean answer(String nodeId, RpcWire.Reply reply);

		/**
		 * Completes the caller's future with the replies taken.
		 */
		abstract void complete();

		abstract void expire();

		abstract void fail(RuntimeException ex);

		/**
		 * The failure of a request that could not be sent for a reason that is no
		 * {@link RuntimeException}, naming the method and the node called.
		 * @param ex why it could not be sent
		 * @return the exception the caller gets
		 */
		abstract ClusterRpcException notSent(Throwable ex);

	}

	private final class SingleCall<T> extends Pending {

		private final String nodeId;

		private final JavaType resultType;

		private final long start;

		private final CompletableFuture<T> future = new CompletableFuture<>();

		private volatile RpcWire.@Nullable Reply reply;

		SingleCall(String method, String nodeId, JavaType resultType, long start) {
			super(method);
			this.nodeId = nodeId;
			this.resultType = resultType;
			this.start = start;
		}

		@Override
		boolean expects(String nodeId) {
			return this.nodeId.equals(nodeId);
		}

		@Override
		boolean answer(String nodeId, RpcWire.Reply reply) {
			this.reply = reply;
			return true;
		}

		@Override
		void complete() {
			RpcWire.Reply reply = this.reply;
			if (reply == null) {
				return;
			}
			if (reply.error() != null) {
				record(reply.error().kind());
				this.future.completeExceptionally(remoteError(this.method, this.nodeId, reply.error()));
				return;
			}
			try {
				T value = read(reply.value(), this.resultType);
				record("success");
				this.future.complete(value);
			}
			catch (JacksonException ex) {
				record("bad-result");
				this.future
					.completeExceptionally(
							new ClusterRpcException(
									"The result of '" + this.method + "' from node '" + this.nodeId
											+ "' does not map to " + this.resultType + ": " + ex.getOriginalMessage(),
									this.method, this.nodeId));
			}
		}

		@Override
		void expire() {
			record("timeout");
			this.future.completeExceptionally(new RpcTimeoutException(this.method, this.nodeId, timeout()));
		}

		@Override
		void fail(RuntimeException ex) {
			record("error");
			this.future.completeExceptionally(ex);
		}

		@Override
		ClusterRpcException notSent(Throwable ex) {
			return new ClusterRpcException(
					"Could not send the call of '" + this.method + "' to node '" + this.nodeId + "': " + ex,
					this.method, this.nodeId);
		}

		private void record(String outcome) {
			RpcClient.this.metrics.rpcClientCall(this.method, outcome, System.nanoTime() - this.start);
		}

	}

	private final class BroadcastCall<T> extends Pending {

		private final JavaType resultType;

		private final List<String> expected;

		private final long start;

		private final Map<String, Outcome<T>> outcomes = new ConcurrentHashMap<>();

		private final CompletableFuture<BroadcastResult<T>> future = new CompletableFuture<>();

		BroadcastCall(String method, JavaType resultType, List<String> expected, long start) {
			super(method);
			this.resultType = resultType;
			this.expected = expected;
			this.start = start;
		}

		@Override
		boolean expects(String nodeId) {
			return this.expected.contains(nodeId);
		}

		@Override
		boolean answer(String nodeId, RpcWire.Reply reply) {
			this.outcomes.putIfAbsent(nodeId, outcome(nodeId, reply));
			return this.outcomes.size() == this.expected.size();
		}

		@Override
		void complete() {
			finish();
		}

		private Outcome<T> outcome(String nodeId, RpcWire.Reply reply) {
			if (reply.error() != null) {
				return new Failure<>(remoteError(this.method, nodeId, reply.error()));
			}
			try {
				return new Value<>(read(reply.value(), this.resultType));
			}
			catch (JacksonException ex) {
				return new Failure<>(new RemoteCallException(Kind.FAILED, this.method, nodeId, null,
						"the result does not map to " + this.resultType + ": " + ex.getOriginalMessage(), null));
			}
		}

		@Override
		void expire() {
			finish();
		}

		@Override
		void fail(RuntimeException ex) {
			RpcClient.this.metrics.rpcClientCall(this.method, "error", System.nanoTime() - this.start);
			this.future.completeExceptionally(ex);
		}

		@Override
		ClusterRpcException notSent(Throwable ex) {
			return new ClusterRpcException(
					"Could not send the broadcast of '" + this.method + "' to nodes " + this.expected + ": " + ex,
					this.method, Envelope.ALL);
		}

		void finish() {
			Map<String, Outcome<T>> result = new LinkedHashMap<>();
			for (String nodeId : this.expected) {
				result.put(nodeId, this.outcomes.getOrDefault(nodeId, new NoAnswer<>()));
			}
			BroadcastResult<T> broadcast = new BroadcastResult<>(result);
			RpcClient.this.metrics.rpcClientCall(this.method, broadcast.allSucceeded() ? "success" : "partial",
					System.nanoTime() - this.start);
			this.future.complete(broadcast);
		}

	}

}
