package dev.cohort.tasks;

import org.jspecify.annotations.Nullable;

/**
 * A job as it is stored: what to run, with what, and the keys that make it unique or lock
 * it. Written once at enqueue time; attempts and leases are kept beside it.
 *
 * @param id the job id, {@code <queue>:<random>}
 * @param task the task's name
 * @param queue the queue
 * @param args the arguments as JSON text, or {@code null}
 * @param enqueuedAt when it was enqueued, ms on the cluster clock
 * @param unique the key that keeps an identical job out while it waits, or {@code null}
 * @param lock the key of the job lock it takes while it runs, or {@code null}
 * @param period the start of the period of a recurring task's run (ms), or {@code null}
 */
public record JobRecord(String id, String task, String queue, @Nullable String args, long enqueuedAt,
		@Nullable String unique, @Nullable String lock, @Nullable Long period) {

	/**
	 * The queue a job id names.
	 * @param jobId the job id
	 * @return the queue
	 * @throws IllegalArgumentException if the id is not a job id
	 */
	public static String queueOf(String jobId) {
		int colon = (jobId != null) ? jobId.lastIndexOf(':') : -1;
		if (colon <= 0 || colon == jobId.length() - 1) {
			throw new IllegalArgumentException("'" + jobId + "' is not a job id (<queue>:<id>)");
		}
		return TaskNames.check("queue of job id '" + jobId + "'", jobId.substring(0, colon));
	}

}
