package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.cohort.internal.RateLimitedLog;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the leases of the jobs this node runs: every third of a lease, on a thread of its
 * own ({@code cohort-task-renewer-N}), it renews them queue by queue, one store call per
 * queue. A job whose lease the store says is gone (this node paused or lost Redis for
 * longer than a lease, and another worker took it back) is interrupted, since it runs
 * again elsewhere. It remembers how the rounds went, for the health check.
 * <p>
 * It logs with the {@link TaskWorker}'s logger, as the worker always did.
 */
final class LeaseRenewer {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final JobRunner runner;

	private final Duration lease;

	private @Nullable ScheduledExecutorService renewals;

	/** When leases were last renewed without an error, on {@link System#nanoTime()}. */
	private volatile long lastRenewalNanos;

	private volatile boolean renewed;

	/** Renewal rounds in a row that failed for at least one queue. */
	private volatile int renewalFailures;

	LeaseRenewer(TaskStore store, JobRunner runner, Duration lease) {
		this.store = store;
		this.runner = runner;
		this.lease = lease;
	}

	/** Starts the renewer thread. */
	void start() {
		ScheduledThreadPoolExecutor renewals = new ScheduledThreadPoolExecutor(1,
				TaskWorker.threads("cohort-task-renewer-"));
		this.renewals = renewals;
		long renewEvery = Math.max(1, this.lease.toMillis() / 3);
		renewals.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
	}

	/** Ends the renewer thread: the leases of jobs still running lapse. */
	void stop() {
		ScheduledExecutorService renewals = this.renewals;
		if (renewals != null) {
			renewals.shutdownNow();
		}
	}

	private void renewLeases() {
		Map<String, Map<String, RunningJob>> byQueue = new HashMap<>();
		this.runner.running()
			.forEach((job) -> byQueue.computeIfAbsent(job.claimed.job().queue(), (queue) -> new HashMap<>())
				.put(job.claimed.job().id(), job));
		boolean[] failed = { false };
		byQueue.forEach((queue, jobs) -> {
			Map<String, TaskStore.Lease> leases = new HashMap<>();
			jobs.forEach((id, job) -> leases.put(id, job.claimed.lease()));
			try {
				long sent = System.nanoTime();
				Set<String> lostIds = new HashSet<>(this.store.renew(queue, this.lease, leases));
				jobs.forEach((id, job) -> {
					if (!lostIds.contains(id)) {
						job.renewed(sent);
					}
				});
				for (String lost : lostIds) {
					// The answer is about the run renewed: a newer run of the job, taken
					// while the renewal waited, keeps its own lease.
					RunningJob job = jobs.get(lost);
					if (job != null && this.runner.isCurrent(lost, job)) {
						logger.warn("Job " + lost + " lost its lease while it ran; it is interrupted, and runs "
								+ "again elsewhere");
						job.stop(RunningJob.LEASE_LOST);
					}
				}
			}
			catch (RuntimeException ex) {
				failed[0] = true;
				this.rateLimited.warn("renew", "Could not renew the leases of queue " + queue + ": " + ex);
			}
		});
		recordRenewal(byQueue.isEmpty(), failed[0]);
	}

	/**
	 * Records how a renewal round went, for health checks. A round with no job to renew
	 * reached no store: it neither succeeds nor fails.
	 */
	private void recordRenewal(boolean nothingToRenew, boolean failed) {
		if (failed) {
			this.renewalFailures++;
		}
		else if (!nothingToRenew) {
			this.lastRenewalNanos = System.nanoTime();
			this.renewed = true;
			this.renewalFailures = 0;
		}
	}

	@Nullable Duration sinceLastRenewal() {
		return this.renewed ? Duration.ofNanos(System.nanoTime() - this.lastRenewalNanos) : null;
	}

	int consecutiveRenewalFailures() {
		return this.renewalFailures;
	}

}
