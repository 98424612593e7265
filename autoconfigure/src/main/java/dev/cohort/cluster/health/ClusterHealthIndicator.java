package dev.cohort.cluster.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.tasks.WorkerStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The health of this node as a member of the cluster: {@code DOWN} when the store (Redis)
 * does not answer within the timeout, or this node is not a live member (its heartbeats
 * have not reached the store for longer than {@code cluster.node-timeout}, or another
 * process holds its id). Details: the node, its role, the members it sees, the age of its
 * last heartbeat, whether it leads the recurring scheduler, and how its task worker
 * fares.
 * <p>
 * A health request never waits on the store for longer than the timeout: the store is
 * asked for its time on a thread of this indicator's own, and while a question is still
 * unanswered the next request waits on the same one rather than asking again, so that a
 * hung Redis never piles up threads.
 */
public class ClusterHealthIndicator implements HealthIndicator, DisposableBean {

	private final ClusterMembership membership;

	private final MembershipStore store;

	private final Duration timeout;

	private final @Nullable BooleanSupplier schedulerLeader;

	private final @Nullable WorkerStatus worker;

	private final ExecutorService probes;

	private @Nullable CompletableFuture<Long> pending;

	/**
	 * Creates the indicator.
	 * @param membership this node's membership
	 * @param store the membership store, asked for its time
	 * @param timeout how long a health request waits for the store at most
	 * @param schedulerLeader whether this node leads the recurring scheduler, if it runs
	 * one
	 * @param worker the task worker, if this node runs one
	 */
	public ClusterHealthIndicator(ClusterMembership membership, MembershipStore store, Duration timeout,
			@Nullable BooleanSupplier schedulerLeader, @Nullable WorkerStatus worker) {
		this.membership = membership;
		this.store = store;
		this.timeout = timeout;
		this.schedulerLeader = schedulerLeader;
		this.worker = worker;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cohort-health-");
		threads.setDaemon(true);
		this.probes = Executors.newSingleThreadExecutor(threads);
	}

	@Override
	public Health health() {
		Health.Builder builder = Health.up();
		String problem = storeProblem();
		if (problem == null && !this.membership.isLiveMember()) {
			problem = "This node is not a live member of the cluster: its heartbeats have not kept it registered "
					+ "for longer than cluster.node-timeout (" + this.membership.nodeTimeout() + ")";
		}
		if (problem != null) {
			builder.down().withDetail("reason", problem);
		}
		return builder.withDetails(details()).build();
	}

	/**
	 * Asks the store for its time, waiting at most the timeout.
	 * @return what went wrong, or {@code null} if the store answered
	 */
	private @Nullable String storeProblem() {
		CompletableFuture<Long> probe = probe();
		try {
			probe.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return null;
		}
		catch (TimeoutException ex) {
			return "The cluster's store (Redis) did not answer within " + this.timeout;
		}
		catch (ExecutionException ex) {
			return "The cluster's store (Redis) could not be reached: " + ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "Interrupted while waiting for the cluster's store";
		}
	}

	private synchronized CompletableFuture<Long> probe() {
		CompletableFuture<Long> current = this.pending;
		if (current == null || current.isDone()) {
			current = CompletableFuture.supplyAsync(this.store::time, this.probes);
			this.pending = current;
		}
		return current;
	}

	private Map<String, Object> details() {
		NodeInfo self = this.membership.self();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("nodeId", self.id());
		details.put("role", self.role().name().toLowerCase(Locale.ROOT));
		details.put("members", this.membership.members().stream().map(NodeInfo::id).toList());
		details.put("memberCount", this.membership.members().size());
		Duration sinceHeartbeat = this.membership.sinceLastHeartbeat();
		if (sinceHeartbeat != null) {
			details.put("lastHeartbeatAgeMillis", sinceHeartbeat.toMillis());
		}
		if (this.schedulerLeader != null) {
			details.put("schedulerLeader", this.schedulerLeader.getAsBoolean());
		}
		if (this.worker != null) {
			details.put("worker", workerDetails(this.worker));
		}
		return details;
	}

	private static Map<String, Object> workerDetails(WorkerStatus worker) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("running", worker.isRunning());
		details.put("runningJobs", worker.runningJobCount());
		details.put("consecutiveRenewalFailures", worker.consecutiveRenewalFailures());
		Duration sinceRenewal = worker.sinceLastRenewal();
		if (sinceRenewal != null) {
			details.put("lastRenewalAgeMillis", sinceRenewal.toMillis());
		}
		return details;
	}

	@Override
	public void destroy() {
		this.probes.shutdownNow();
	}

}
