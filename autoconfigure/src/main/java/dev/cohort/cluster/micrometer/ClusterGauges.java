package dev.cohort.cluster.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.cohort.internal.RateLimitedLog;
import dev.cohort.tasks.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Gauges of the cluster's state as Micrometer meters. What lives in the store (the counts
 * of every queue, the number of rooms) is read in one go on a thread of its own, at most
 * once per refresh interval, and the gauges report that read: a scrape costs no round
 * trip to Redis, however many gauges it reads. Queues that appear later get their gauges
 * at the next read. What this node knows itself (its connections, its scheduler
 * leadership) is read when the gauge is.
 * <ul>
 * <li>{@code cohort.tasks.waiting}, {@code cohort.tasks.delayed},
 * {@code cohort.tasks.running}, {@code cohort.tasks.failed}: jobs of a queue, tagged
 * {@code queue}</li>
 * <li>{@code cohort.tasks.oldest.waiting.age}: seconds the next job of a queue has
 * waited, 0 if none waits, tagged {@code queue}</li>
 * <li>{@code cohort.rooms}: rooms in the cluster</li>
 * <li>{@code cohort.connections}: WebSocket connections this node holds</li>
 * <li>{@code cohort.tasks.scheduler.leader}: 1 while this node leads the recurring
 * scheduler, else 0</li>
 * </ul>
 * Should a read fail (Redis down), the gauges keep the last values read.
 */
public class ClusterGauges implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ClusterGauges.class);

	private final RateLimitedLog rateLimitedLog = new RateLimitedLog(logger, 60_000);

	private final MeterRegistry registry;

	private final Duration refreshInterval;

	private final @Nullable Supplier<List<QueueStats>> queues;

	private final @Nullable LongSupplier rooms;

	private final Set<String> queuesWithGauges = ConcurrentHashMap.newKeySet();

	private volatile Map<String, QueueStats> queueStats = Map.of();

	private volatile double roomCount = Double.NaN;

	private volatile @Nullable ScheduledExecutorService refresher;

	/**
	 * Creates the gauges; those of the store's state are read once started.
	 * @param registry where the gauges go
	 * @param refreshInterval how often the store is read at most
	 * @param queues reads the counts of every queue in one go, or {@code null} if this
	 * node has no task queue
	 * @param rooms counts the rooms, or {@code null} if this node has no directory of
	 * connections
	 * @param localConnections counts the connections this node holds, or {@code null}
	 * @param schedulerLeader tells whether this node leads the recurring scheduler, or
	 * {@code null} if it runs none
	 */
	public ClusterGauges(MeterRegistry registry, Duration refreshInterval, @Nullable Supplier<List<QueueStats>> queues,
			@Nullable LongSupplier rooms, @Nullable IntSupplier localConnections,
			@Nullable BooleanSupplier schedulerLeader) {
		this.registry = registry;
		this.refreshInterval = refreshInterval;
		this.queues = queues;
		this.rooms = rooms;
		if (rooms != null) {
			Gauge.builder("cohort.rooms", () -> this.roomCount)
				.description("Rooms in the cluster, as last read from the store")
				.baseUnit("rooms")
				.register(registry);
		}
		if (localConnections != null) {
			Gauge.builder("cohort.connections", localConnections::getAsInt)
				.description("WebSocket connections this node holds")
				.baseUnit("connections")
				.register(registry);
		}
		if (schedulerLeader != null) {
			Gauge.builder("cohort.tasks.scheduler.leader", () -> schedulerLeader.getAsBoolean() ? 1 : 0)
				.description("1 while this node leads the recurring scheduler, else 0")
				.register(registry);
		}
	}

	/**
	 * How often the store is read at most.
	 * @return the interval
	 */
	public Duration refreshInterval() {
		return this.refreshInterval;
	}

	/**
	 * Reads the store's state once, and gives queues seen for the first time their
	 * gauges.
	 */
	void refresh() {
		try {
			if (this.queues != null) {
				Map<String, QueueStats> stats = this.queues.get()
					.stream()
					.collect(Collectors.toUnmodifiableMap(QueueStats::queue, (queue) -> queue, (a, b) -> b));
				this.queueStats = stats;
				stats.keySet().forEach(this::registerQueue);
			}
			if (this.rooms != null) {
				this.roomCount = this.rooms.getAsLong();
			}
		}
		catch (RuntimeException ex) {
			this.rateLimitedLog.warn("refresh",
					"Could not read the cluster's state for its gauges; they keep the " + "last values read: " + ex);
		}
	}

	private void registerQueue(String queue) {
		if (!this.queuesWithGauges.add(queue)) {
			return;
		}
		queueGauge(queue, "cohort.tasks.waiting", "Jobs waiting for a worker", QueueStats::waiting);
		queueGauge(queue, "cohort.tasks.delayed", "Jobs waiting for their due time", QueueStats::delayed);
		queueGauge(queue, "cohort.tasks.running", "Jobs running now", QueueStats::running);
		queueGauge(queue, "cohort.tasks.failed", "Failed jobs kept", QueueStats::failed);
		Gauge.builder("cohort.tasks.oldest.waiting.age", () -> value(queue, ClusterGauges::oldestWaitingSeconds))
			.description("How long the next job to run has waited, 0 if none waits")
			.baseUnit("seconds")
			.tag("queue", queue)
			.register(this.registry);
	}

	private void queueGauge(String queue, String name, String description, ToDoubleFunction<QueueStats> count) {
		Gauge.builder(name, () -> value(queue, count))
			.description(description)
			.baseUnit("jobs")
			.tag("queue", queue)
			.register(this.registry);
	}

	private double value(String queue, ToDoubleFunction<QueueStats> value) {
		QueueStats stats = this.queueStats.get(queue);
		return (stats != null) ? value.applyAsDouble(stats) : 0;
	}

	private static double oldestWaitingSeconds(QueueStats stats) {
		Duration age = stats.oldestWaitingAge();
		return (age != null) ? age.toNanos() / 1e9 : 0;
	}

	@Override
	public void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cohort-gauges-");
		threads.setDaemon(true);
		ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(threads);
		long interval = this.refreshInterval.toMillis();
		refresher.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.MILLISECONDS);
		this.refresher = refresher;
	}

	@Override
	public void stop() {
		ScheduledExecutorService refresher = this.refresher;
		this.refresher = null;
		if (refresher != null) {
			refresher.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.refresher != null;
	}

}
