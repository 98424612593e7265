package dev.cohort.tasks;

import dev.cohort.cluster.ClusterException;

/**
 * A {@link TaskMiddleware} refuses a job. At enqueue the caller gets it and nothing is
 * enqueued. At run time the job fails for good with reason {@code refused}, without
 * retries, or, if made by {@link #skip}, ends as done without running.
 */
public class TaskRefusedException extends ClusterException {

	private final boolean skip;

	/**
	 * A refusal that fails the job.
	 * @param message why, for the caller or the failure record
	 */
	public TaskRefusedException(String message) {
		this(message, false);
	}

	private TaskRefusedException(String message, boolean skip) {
		super(message);
		this.skip = skip;
	}

	/**
	 * A refusal that skips the job at run time: it ends as done (counted as processed)
	 * without running, and its run is counted with outcome {@code skipped}.
	 * @param message why
	 * @return the refusal
	 */
	public static TaskRefusedException skip(String message) {
		return new TaskRefusedException(message, true);
	}

	/**
	 * Whether the job is skipped rather than failed.
	 * @return whether it is skipped
	 */
	public boolean isSkip() {
		return this.skip;
	}

}
