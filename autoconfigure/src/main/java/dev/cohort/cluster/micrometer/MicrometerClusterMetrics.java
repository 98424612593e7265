package dev.cohort.cluster.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@link ClusterMetrics} as Micrometer meters. Tags are low-cardinality: a rejection
 * reason, or a message type (a name the application chose, not a per-message value).
 * <ul>
 * <li>{@code cohort.messages.sent}, {@code cohort.messages.accepted},
 * {@code cohort.messages.dropped} and {@code cohort.messages.handler.failures}: counters
 * tagged {@code type}</li>
 * <li>{@code cohort.messages.rejected}: counter tagged {@code reason}</li>
 * <li>{@code cohort.cluster.members}: gauge of the live members this node sees</li>
 * <li>{@code cohort.rpc.client} and {@code cohort.rpc.server}: timers of calls made and
 * served, tagged {@code method} and {@code outcome}</li>
 * <li>{@code cohort.rpc.replies.refused}: counter of replies that completed no call,
 * tagged {@code reason}</li>
 * </ul>
 * The gauges of the cluster's state (queues, rooms, connections, scheduler leadership)
 * are {@link ClusterGauges}.
 */
public class MicrometerClusterMetrics implements ClusterMetrics {

	private final MeterRegistry registry;

	/** One counter per reason, by its ordinal: all registered up front. */
	private final Counter[] rejected = new Counter[RejectionReason.values().length];

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	public MicrometerClusterMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (RejectionReason reason : RejectionReason.values()) {
			this.rejected[reason.ordinal()] = Counter.builder("cohort.messages.rejected")
				.description("Messages refused before reaching any handler")
				.tag("reason", reason.tag())
				.register(registry);
		}
	}

	@Override
	public void messageSent(String type) {
		counter("cohort.messages.sent", type).increment();
	}

	@Override
	public void messageAccepted(String type) {
		counter("cohort.messages.accepted", type).increment();
	}

	@Override
	public void messageRejected(RejectionReason reason) {
		this.rejected[reason.ordinal()].increment();
	}

	@Override
	public void messageDropped(String type) {
		counter("cohort.messages.dropped", type).increment();
	}

	@Override
	public void handlerFailed(String type) {
		counter("cohort.messages.handler.failures", type).increment();
	}

	@Override
	public void rpcClientCall(String method, String outcome, long nanos) {
		timer("cohort.rpc.client", "method", method, outcome).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void rpcServerCall(String method, String outcome, long nanos) {
		timer("cohort.rpc.server", "method", method, outcome).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void rpcReplyRefused(String reason) {
		this.registry.counter("cohort.rpc.replies.refused", "reason", reason).increment();
	}

	@Override
	public void clientFrameRefused(String reason) {
		this.registry.counter("cohort.connections.refused", "reason", reason).increment();
	}

	@Override
	public void clientRefused(String reason) {
		this.registry.counter("cohort.connections.rejected", "reason", reason).increment();
	}

	@Override
	public void clientClosed(String reason) {
		this.registry.counter("cohort.connections.closed", "reason", reason).increment();
	}

	@Override
	public void replicasMissed(String operation) {
		this.registry.counter("cohort.redis.replicas.missed", "operation", operation).increment();
	}

	@Override
	public void taskRun(String task, String outcome, long nanos) {
		timer("cohort.tasks.run", "task", task, outcome).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void taskStalled(String queue) {
		this.registry.counter("cohort.tasks.stalled", "queue", queue).increment();
	}

	private Timer timer(String name, String tag, String value, String outcome) {
		return this.timers.computeIfAbsent(name + '\u0000' + value + '\u0000' + outcome,
				(key) -> Timer.builder(name).tag(tag, value).tag("outcome", outcome).register(this.registry));
	}

	@Override
	public void bindMembership(ClusterNodes nodes) {
		Gauge.builder("cohort.cluster.members", nodes, (n) -> n.members().size())
			.description("Live members of the cluster, as this node sees them")
			.register(this.registry);
	}

	private Counter counter(String name, String type) {
		return this.counters.computeIfAbsent(name + '\u0000' + type,
				(key) -> Counter.builder(name).tag("type", type).register(this.registry));
	}

}
