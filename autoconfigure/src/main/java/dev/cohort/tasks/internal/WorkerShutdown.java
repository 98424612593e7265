package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.cohort.cluster.message.internal.ClusterBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stops a {@link TaskWorker} gracefully, in an order that loses no job: first the fetcher
 * (no new jobs; a job it took still starts), then the processors, which finish their jobs
 * for up to the shutdown timeout; jobs still running then are interrupted and handed back
 * to the front of their queue, to run again elsewhere. Then the ends of the last jobs are
 * recorded (they are sent without waiting). Only then end the cancel subscription, the
 * lease renewals (which the running jobs needed until now) and the timeouts.
 * <p>
 * It logs with the {@link TaskWorker}'s logger, as the worker always did.
 */
final class WorkerShutdown {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	/** The longest a stop waits for the ends of the last jobs to be recorded. */
	private static final Duration SETTLE_WAIT = Duration.ofSeconds(10);

	private final JobFetcher fetcher;

	private final JobRunner runner;

	private final JobSettler settler;

	private final LeaseRenewer renewer;

	private final Duration shutdownTimeout;

	WorkerShutdown(JobFetcher fetcher, JobRunner runner, JobSettler settler, LeaseRenewer renewer,
			Duration shutdownTimeout) {
		this.fetcher = fetcher;
		this.runner = runner;
		this.settler = settler;
		this.renewer = renewer;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Stops it all, in order.
	 * @param cancellations the subscription to cancel messages, or {@code null}
	 */
	void stop(ClusterBus.@Nullable Registration cancellations) {
		this.fetcher.stop();
		// Made by start(), as the worker's active flag says.
		ThreadPoolExecutor processors = this.runner.processors();
		if (processors != null) {
			processors.shutdown();
			if (!awaitTermination(processors, this.shutdownTimeout)) {
				logger.warn("Handing back " + this.runner.count() + " job(s) still running after "
						+ this.shutdownTimeout.toSeconds() + "s: they run again elsewhere");
				this.runner.running().forEach((job) -> job.stop(RunningJob.HANDED_BACK));
				awaitTermination(processors, Duration.ofSeconds(5));
			}
		}
		awaitSettled();
		if (cancellations != null) {
			cancellations.cancel();
		}
		this.renewer.stop();
		this.runner.stopTimers();
	}

	/**
	 * Waits a little for the ends of the last jobs, sent without waiting, to be recorded:
	 * the store is closed after the worker stops.
	 */
	private void awaitSettled() {
		long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
		while (!this.settler.isIdle() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		if (!this.settler.isIdle()) {
			logger.warn("The ends of some jobs were not recorded within " + SETTLE_WAIT.toSeconds()
					+ "s: their leases lapse and they run again elsewhere");
		}
	}

	private static boolean awaitTermination(ThreadPoolExecutor processors, Duration timeout) {
		try {
			return processors.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
