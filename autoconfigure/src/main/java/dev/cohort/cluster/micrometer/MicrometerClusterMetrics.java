package dev.cohort.cluster.micrometer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link ClusterMetrics} as Micrometer meters. Tags are low-cardinality: a rejection
 * reason, or a message type (a name the application chose, not a per-message value).
 * <ul>
 * <li>{@code cohort.messages.sent}, {@code cohort.messages.accepted},
 * {@code cohort.messages.dropped} and {@code cohort.messages.handler.failures}: counters
 * tagged {@code type}</li>
 * <li>{@code cohort.messages.rejected}: counter tagged {@code reason}</li>
 * <li>{@code cohort.cluster.members}: gauge of the live members this node sees</li>
 * </ul>
 */
public class MicrometerClusterMetrics implements ClusterMetrics {

	private final MeterRegistry registry;

	private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	public MicrometerClusterMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (RejectionReason reason : RejectionReason.values()) {
			this.rejected.put(reason,
					Counter.builder("cohort.messages.rejected")
						.description("Messages refused before reaching any handler")
						.tag("reason", reason.tag())
						.register(registry));
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
		this.rejected.get(reason).increment();
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
