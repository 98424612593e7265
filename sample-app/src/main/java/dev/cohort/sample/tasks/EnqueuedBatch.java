package dev.cohort.sample.tasks;

import java.util.List;

/**
 * The answer of {@code POST /tasks/thumbnails/batch}.
 *
 * @param jobIds the jobs' ids, one for each image, in the request's order: what
 * {@code GET /tasks/thumbnails/{jobId}} takes
 * @param queue the queue the jobs wait in
 * @param enqueuedBy the node that served the request, which need not be the one that runs
 * the jobs
 */
public record EnqueuedBatch(List<String> jobIds, String queue, String enqueuedBy) {

}
