package dev.cohort.tasks;

/**
 * A job a worker took, under a lease.
 *
 * @param job the job
 * @param attempt how many times it has been taken, this time included
 * @param fencingToken the lease's number, larger than any earlier lease's in its queue
 * @param failures how many of its earlier attempts failed and were retried (runs whose
 * worker died or stopped do not count)
 * @param leaseId the lease's random id, which tells it apart from another lease that got
 * the same fencing token
 */
public record ClaimedJob(JobRecord job, int attempt, long fencingToken, int failures, String leaseId) {

	/**
	 * The lease, as the store checks it.
	 * @return the lease
	 */
	public TaskStore.Lease lease() {
		return new TaskStore.Lease(this.fencingToken, this.leaseId);
	}

}
