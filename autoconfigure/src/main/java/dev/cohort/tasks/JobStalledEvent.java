package dev.cohort.tasks;

/**
 * Published on the worker node whose claim took a job back from a worker whose lease
 * lapsed (it stopped, hung, or could not reach Redis for longer than the lease): once per
 * stall, cluster-wide. See {@link JobStartedEvent} for the thread it is published on.
 *
 * @param jobId the job
 * @param task the task's name
 * @param queue the queue
 * @param lostBy the node whose lease lapsed
 * @param stalls how many times the job has stalled, this one included
 * @param failed whether it failed for good as {@code stalled} (a {@link JobFailedEvent}
 * follows); else it went back to the front of its queue
 */
public record JobStalledEvent(String jobId, String task, String queue, String lostBy, int stalls, boolean failed) {

}
