package dev.cohort.tasks;

/**
 * A job a worker took, under a lease.
 *
 * @param job the job
 * @param attempt how many times it has been taken, this time included
 * @param fencingToken the lease's number, larger than any earlier lease's in its queue
 */
public record ClaimedJob(JobRecord job, int attempt, long fencingToken) {
}
