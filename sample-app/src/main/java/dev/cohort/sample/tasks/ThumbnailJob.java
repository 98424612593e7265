package dev.cohort.sample.tasks;

/**
 * The arguments of a {@code make-thumbnail} job. They travel as JSON, through Redis on
 * the redis transport, from the node that enqueues the job to the worker that runs it, so
 * they are plain values: no services, no open resources.
 *
 * @param image the image
 * @param width the thumbnail's width in pixels
 * @param workMillis how long the simulated work takes
 * @param fail whether every attempt fails
 * @param failAttempts how many attempts fail before one succeeds
 */
public record ThumbnailJob(String image, int width, long workMillis, boolean fail, int failAttempts) {

}
