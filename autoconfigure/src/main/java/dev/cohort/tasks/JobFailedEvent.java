package dev.cohort.tasks;

import org.jspecify.annotations.Nullable;

/**
 * Published on a worker node once a job has failed for good and joined the failed jobs:
 * what error reporters and audit logs hook into. A run that fails and is retried
 * publishes nothing. A job failed as {@code stalled} is published by the worker whose
 * claim failed it, not by the one that lost it. See {@link JobStartedEvent} for the
 * thread it is published on.
 *
 * @param jobId the job
 * @param task the task's name
 * @param queue the queue
 * @param attempt how many times a worker took it
 * @param node the node that ran it last (for {@code stalled}, the node whose lease
 * lapsed)
 * @param reason why, as {@link FailedJob#reason()} says
 * @param error what the last run threw ({@code toString()}), or {@code null}
 */
public record JobFailedEvent(String jobId, String task, String queue, int attempt, String node, String reason,
		@Nullable String error) {

}
