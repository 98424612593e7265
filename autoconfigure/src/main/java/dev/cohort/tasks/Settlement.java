package dev.cohort.tasks;

/**
 * How a worker ends a job's lease.
 */
public enum Settlement {

	/** The job is done: it is deleted and counted as processed. */
	DONE,

	/** The attempt failed and the job is due again after a delay. */
	RETRY,

	/** The job failed for good and joins the failed jobs. */
	FAIL,

	/** The worker is stopping: the job goes back to the front of its queue. */
	HAND_BACK

}
