package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The task queue and, on worker nodes, its worker and scheduler.
 * <p>
 * Bound under {@code cluster.tasks.*} through {@link ClusterProperties#getTasks()}.
 */
public class ClusterTasksProperties {

	/**
	 * Queues this node's worker drains, in priority order; '*' stands for every queue, in
	 * name order.
	 */
	private List<String> queues = new ArrayList<>(List.of("*"));

	/**
	 * Processors (threads running jobs) kept when the worker is idle.
	 */
	private int minProcessors = 1;

	/**
	 * Most jobs this node runs at once; processors are added up to this with load.
	 */
	private int maxProcessors = 8;

	/**
	 * How long a running job's lease lasts unless renewed (every third of it). When a
	 * worker dies, its jobs run elsewhere once their lease lapses.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How many lapsed leases (workers dying under it) a job survives before it joins the
	 * failed jobs.
	 */
	private int maxStalls = 2;

	/**
	 * How long a job waits before it is tried again when another job holds its job lock.
	 */
	private Duration lockWait = Duration.ofSeconds(1);

	/**
	 * How long running jobs may finish when the node stops, before they are interrupted
	 * and handed back to their queue.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * How long the recurring-task scheduler's leadership lasts unless renewed; another
	 * worker node takes over within about a third more after the leader dies.
	 */
	private Duration schedulerLease = Duration.ofSeconds(6);

	/**
	 * How many missed periods of each recurring task a new scheduler leader runs after a
	 * time with no leader; older ones are skipped.
	 */
	private int maxCatchUp = 10;

	/**
	 * Names of argument properties hidden, at any depth, wherever a job's arguments show:
	 * failed jobs, the inspection methods of ClusterTasks and the operations view. Added
	 * to each task's own maskedArguments.
	 */
	private List<String> filteredParameters = new ArrayList<>();

	/**
	 * A Redis of the task queue's own; when not set, the task queue uses the
	 * application's Redis (spring.data.redis.*).
	 */
	@NestedConfigurationProperty
	private @Nullable ClusterRedisProperties redis;

	public List<String> getQueues() {
		return this.queues;
	}

	public void setQueues(List<String> queues) {
		this.queues = queues;
	}

	public int getMinProcessors() {
		return this.minProcessors;
	}

	public void setMinProcessors(int minProcessors) {
		this.minProcessors = minProcessors;
	}

	public int getMaxProcessors() {
		return this.maxProcessors;
	}

	public void setMaxProcessors(int maxProcessors) {
		this.maxProcessors = maxProcessors;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public int getMaxStalls() {
		return this.maxStalls;
	}

	public void setMaxStalls(int maxStalls) {
		this.maxStalls = maxStalls;
	}

	public Duration getLockWait() {
		return this.lockWait;
	}

	public void setLockWait(Duration lockWait) {
		this.lockWait = lockWait;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getSchedulerLease() {
		return this.schedulerLease;
	}

	public void setSchedulerLease(Duration schedulerLease) {
		this.schedulerLease = schedulerLease;
	}

	public int getMaxCatchUp() {
		return this.maxCatchUp;
	}

	public void setMaxCatchUp(int maxCatchUp) {
		this.maxCatchUp = maxCatchUp;
	}

	public List<String> getFilteredParameters() {
		return this.filteredParameters;
	}

	public void setFilteredParameters(List<String> filteredParameters) {
		this.filteredParameters = filteredParameters;
	}

	public @Nullable ClusterRedisProperties getRedis() {
		return this.redis;
	}

	public void setRedis(@Nullable ClusterRedisProperties redis) {
		this.redis = redis;
	}

}
