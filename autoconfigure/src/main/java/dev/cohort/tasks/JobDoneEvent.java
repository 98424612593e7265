package dev.cohort.tasks;

import java.time.Duration;

/**
 * Published on a worker node once Redis (or the local store) has recorded that a job it
 * ran is done. See {@link JobStartedEvent} for the thread it is published on.
 *
 * @param jobId the job
 * @param task the task's name
 * @param queue the queue
 * @param attempt which run of the job it was, from 1
 * @param node the node that ran it
 * @param duration from the start of the run to its end being recorded
 */
public record JobDoneEvent(String jobId, String task, String queue, int attempt, String node, Duration duration) {

}
