package dev.cohort.rpc.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.internal.BoundedPools;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import dev.cohort.rpc.RemoteCallException.Kind;
import dev.cohort.rpc.RpcMethods.Exposed;
import dev.cohort.rpc.RpcMethods;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the calls addressed to this node. Requests are read on the receiving thread and
 * queued for a bounded pool; when the pool and its queue are full, the caller is told at
 * once that the node is busy rather than the request waiting without limit. Every error
 * goes back to the caller as an answer, never as silence.
 * <p>
 * A request that comes, or waits in the queue, past its caller's deadline is dropped
 * unrun and unanswered: its caller has reported a timeout, and a call reported as timed
 * out must not run later (when Redis delivers a request late after an outage, say).
 */
public class RpcServer implements SmartLifecycle {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(RpcServer.class), 10_000);

	/** The outcome of a request dropped because it came after its caller's deadline. */
	static final String EXPIRED = "expired";

	private final ClusterBus bus;

	private final RpcMethods methods;

	private final JsonMapper mapper;

	private final RpcWireCodec wire;

	private final ClusterMetrics metrics;

	private final ClusterClock clock;

	private final int threads;

	private final int queueCapacity;

	private final boolean sendStackTraces;

	private volatile @Nullable ThreadPoolExecutor executor;

	private volatile @Nullable ThreadPoolExecutor busyReplies;

	private volatile ClusterBus.@Nullable Registration registration;

	/**
	 * Creates the server of one node.
	 * @param bus carries requests and replies
	 * @param methods the exposed methods
	 * @param mapper maps arguments and results
	 * @param metrics times calls
	 * @param clock the cluster clock, which callers' deadlines are on
	 * @param threads how many calls run at once
	 * @param queueCapacity how many calls may wait for a thread
	 * @param sendStackTraces whether errors carry the remote stack trace
	 */
	public RpcServer(ClusterBus bus, RpcMethods methods, JsonMapper mapper, ClusterMetrics metrics, ClusterClock clock,
			int threads, int queueCapacity, boolean sendStackTraces) {
		this.bus = bus;
		this.methods = methods;
		this.mapper = mapper;
		this.wire = new RpcWireCodec(mapper);
		this.metrics = metrics;
		this.clock = clock;
		this.threads = threads;
		this.queueCapacity = queueCapacity;
		this.sendStackTraces = sendStackTraces;
	}

	private void onRequest(Envelope envelope) {
		if (envelope.isBroadcast() && envelope.origin().equals(this.bus.nodeId())) {
			// A caller that includes itself calls itself on its own channel.
			return;
		}
		RpcWire.Request request;
		try {
			request = this.wire.readRequest(envelope.body());
		}
		catch (JacksonException ex) {
			log.warn("malformed", "Ignored a malformed RPC request from node '" + RemoteText.name(envelope.origin())
					+ "': " + RemoteText.detail(ex.getOriginalMessage()));
			return;
		}
		String method = request.method();
		List<JsonNode> args = request.args();
		if (request.call() == null || method == null || args == null) {
			log.warn("malformed", "Ignored an RPC request without call, method or args from node '"
					+ RemoteText.name(envelope.origin()) + "'");
			return;
		}
		ThreadPoolExecutor executor = this.executor;
		if (executor == null || late(envelope.origin(), request)) {
			return;
		}
		Optional<Exposed> exposed = this.methods.find(method);
		if (exposed.isPresent() && !exposed.get().blocking()) {
			// It promised never to block: run on this receiving thread.
			run(envelope.origin(), request, exposed, args);
			return;
		}
		try {
			executor.execute(() -> run(envelope.origin(), request, exposed, args));
		}
		catch (RejectedExecutionException ex) {
			this.metrics.rpcServerCall(metricName(request), Kind.BUSY.tag(), 0);
			if (request.reply()) {
				sendBusy(envelope.origin(), request);
			}
		}
	}

	/**
	 * Answers "busy" from a thread of its own: the receiving thread must not wait on
	 * Redis. If even that falls behind, the caller times out.
	 */
	private void sendBusy(String caller, RpcWire.Request request) {
		ThreadPoolExecutor busyReplies = this.busyReplies;
		if (busyReplies == null) {
			return;
		}
		try {
			busyReplies.execute(() -> reply(caller, request, null,
					new RpcWire.Error(Kind.BUSY.tag(), null, "all RPC threads are busy and the queue is full", null)));
		}
		catch (RejectedExecutionException ex) {
			log.warn("busy", "Could not even answer 'busy' to calls of '" + RemoteText.name(request.method()) + "'");
		}
	}

	/**
	 * Whether the request comes after its caller's deadline; if so, it is counted and
	 * logged, and must be dropped. The deadline is on the cluster clock, which every node
	 * follows to within a few milliseconds.
	 */
	private boolean late(String caller, RpcWire.Request request) {
		Long deadline = request.deadline();
		if (deadline == null) {
			return false;
		}
		long late = this.clock.millis() - deadline;
		if (late <= 0) {
			return false;
		}
		this.metrics.rpcServerCall(metricName(request), EXPIRED, 0);
		log.warn(EXPIRED,
				"Dropped a call of '" + RemoteText.name(request.method()) + "' from node '" + RemoteText.name(caller)
						+ "' unrun: it came " + late
						+ " ms after the caller's deadline, so the caller has reported a timeout");
		return true;
	}

	private void run(String caller, RpcWire.Request request, Optional<Exposed> exposed, List<JsonNode> arguments) {
		if (late(caller, request)) {
			return;
		}
		long start = System.nanoTime();
		if (exposed.isEmpty()) {
			finish(caller, request, start, null, new RpcWire.Error(Kind.UNKNOWN_METHOD.tag(), null,
					"no method is exposed as '" + request.method() + "'", null));
			return;
		}
		Object[] args;
		try {
			args = bind(exposed.get().parameterTypes(), arguments);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			finish(caller, request, start, null,
					new RpcWire.Error(Kind.BAD_ARGUMENTS.tag(), null, String.valueOf(
							(ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage()),
							null));
			return;
		}
		Object value;
		try {
			value = exposed.get().invoker().invoke(args);
		}
		catch (Throwable ex) {
			finish(caller, request, start, null, new RpcWire.Error(Kind.FAILED.tag(), ex.getClass().getName(),
					String.valueOf(ex.getMessage()), this.sendStackTraces ? stackTrace(ex) : null));
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			return;
		}
		String result;
		try {
			result = this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			finish(caller, request, start, null, new RpcWire.Error(Kind.FAILED.tag(), ex.getClass().getName(),
					"the result cannot be written as JSON: " + ex.getOriginalMessage(), null));
			return;
		}
		finish(caller, request, start, result, null);
	}

	/**
	 * The method name as a metric tag: names nothing exposes are not tagged one by one,
	 * so that callers cannot grow the number of meters without limit.
	 */
	private String metricName(RpcWire.Request request) {
		String method = request.method();
		return (method != null && this.methods.find(method).isPresent()) ? method : "unknown";
	}

	private Object[] bind(Type[] parameterTypes, List<JsonNode> args) {
		if (args.size() != parameterTypes.length) {
			throw new IllegalArgumentException(
					"the method takes " + parameterTypes.length + " arguments, not " + args.size());
		}
		Object[] bound = new Object[args.size()];
		for (int i = 0; i < bound.length; i++) {
			bound[i] = this.mapper.treeToValue(args.get(i), this.mapper.constructType(parameterTypes[i]));
		}
		return bound;
	}

	private void finish(String caller, RpcWire.Request request, long start, @Nullable String value,
			RpcWire.@Nullable Error error) {
		this.metrics.rpcServerCall(metricName(request), (error != null) ? error.kind() : "success",
				System.nanoTime() - start);
		if (request.reply()) {
			reply(caller, request, value, error);
		}
	}

	/**
	 * Answers a call.
	 * @param value the result as JSON text, or {@code null} with an error
	 */
	private void reply(String caller, RpcWire.Request request, @Nullable String value, RpcWire.@Nullable Error error) {
		try {
			send(caller, request, value, error);
		}
		catch (RuntimeException ex) {
			if (error == null) {
				// The result could not be sent (too large, for one): say so rather than
				// be silent.
				try {
					send(caller, request, null, new RpcWire.Error(Kind.FAILED.tag(), ex.getClass().getName(),
							"the result could not be sent: " + ex.getMessage(), null));
					return;
				}
				catch (RuntimeException again) {
					ex.addSuppressed(again);
				}
			}
			log.warn("reply", "Could not answer a call of '" + RemoteText.name(request.method()) + "' from node '"
					+ RemoteText.name(caller) + "': " + RemoteText.detail(ex));
		}
	}

	private void send(String caller, RpcWire.Request request, @Nullable String value, RpcWire.@Nullable Error error) {
		String reply = this.wire.writeReply(request.call(), request.method(), value, error);
		this.bus.sendAsync(RpcWire.REPLY, caller, reply).whenComplete((sent, ex) -> {
			if (ex != null) {
				log.warn("reply", "Could not answer call " + RemoteText.name(request.call()) + " from node '"
						+ RemoteText.name(caller) + "': " + RemoteText.detail(ex));
			}
		});
	}

	private static String stackTrace(Throwable ex) {
		StringWriter trace = new StringWriter();
		ex.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	@Override
	public void start() {
		this.executor = BoundedPools.create("cohort-rpc-", this.threads, this.queueCapacity);
		this.busyReplies = BoundedPools.create("cohort-rpc-busy-", 1, this.queueCapacity);
		this.registration = this.bus.subscribeInline(RpcWire.REQUEST, this::onRequest);
	}

	@Override
	public void stop() {
		ClusterBus.Registration registration = this.registration;
		if (registration != null) {
			registration.cancel();
		}
		this.registration = null;
		BoundedPools.shutdown(this.executor);
		BoundedPools.shutdown(this.busyReplies);
		this.executor = null;
		this.busyReplies = null;
	}

	@Override
	public boolean isRunning() {
		return this.registration != null;
	}

	@Override
	public int getPhase() {
		// Serving before membership announces this node, so no early call goes unheard.
		return ClusterBus.PHASE;
	}

}
