package dev.cohort.sample.tasks;

/**
 * The answer of {@code POST /tasks/thumbnails} and {@code POST /tasks/failed/{id}/retry}.
 *
 * @param jobId the job's id, {@code <queue>:<unique part>}: what every other endpoint
 * takes
 * @param queue the queue the job waits in
 * @param enqueuedBy the node that served the request, which need not be the one that runs
 * the job
 */
public record Enqueued(String jobId, String queue, String enqueuedBy) {

}
