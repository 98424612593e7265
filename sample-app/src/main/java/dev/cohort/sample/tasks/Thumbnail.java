package dev.cohort.sample.tasks;

import java.time.Instant;

/**
 * A thumbnail as a {@code make-thumbnail} job records it in the cluster cache, under
 * {@code thumbnail:<job id>}, and as {@code GET /tasks/thumbnails/{jobId}} shows it.
 *
 * @param jobId the job that made it
 * @param image the image
 * @param width its width in pixels
 * @param path where the thumbnail would be stored
 * @param madeBy the id of the (worker) node that ran the job
 * @param attempt which attempt of the job made it, from 1
 * @param fencingToken the fencing token of that attempt's lease: a later attempt has a
 * larger one, so an attempt that lost its lease cannot overwrite a later one's result
 * @param madeAt when it was made, on the cluster's clock
 */
public record Thumbnail(String jobId, String image, int width, String path, String madeBy, int attempt,
		long fencingToken, Instant madeAt) {

}
