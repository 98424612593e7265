package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.message.internal.ClusterBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stops a {@link TaskWorker} gracefully, in an order that loses no job: first the fetcher
 * (no new jobs; a job it took still starts), then the processors, which finish their jobs
 * for up to the shutdown timeout; jobs still running then are interrupted and handed back
 * to the front of their queue, to run again elsewhere. Only then end the cancel
 * subscription, the lease renewals (which the running jobs needed until now) and the
 * timeouts.
 * <p>
 * It logs with the {@link TaskWorker}'s logger, as the worker always did.
 */
final class WorkerShutdown {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final JobFetcher fetcher;

	private final JobRunner runner;

	private final LeaseRenewer renewer;

	private final Duration shutdownTimeout;

	WorkerShutdown(JobFetcher fetcher, JobRunner runner, LeaseRenewer renewer, Duration shutdownTimeout) {
		this.fetcher = fetcher;
		this.runner = runner;
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
		if (cancellations != null) {
			cancellations.cancel();
		}
		this.renewer.stop();
		this.runner.stopTimers();
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
