package dev.cohort.tasks;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How this node's task worker is doing, for health checks: whether it runs, how many jobs
 * it runs, and how its lease renewals go.
 */
public interface WorkerStatus {

	/**
	 * Whether the worker is started.
	 * @return whether it runs
	 */
	boolean isRunning();

	/**
	 * How many jobs this worker runs now.
	 * @return the count
	 */
	int runningJobCount();

	/**
	 * How many lease renewal rounds in a row failed (every third of a lease, while jobs
	 * run); 0 once one succeeds.
	 * @return the count
	 */
	int consecutiveRenewalFailures();

	/**
	 * How long ago this worker last renewed the leases of its running jobs without an
	 * error.
	 * @return the time since, or {@code null} if it has renewed none yet
	 */
	@Nullable Duration sinceLastRenewal();

}
