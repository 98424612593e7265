package dev.cohort.tasks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job that failed for good, with what is known of its last failure.
 *
 * @param id the job id, to retry or remove it
 * @param task the task's name
 * @param queue the queue
 * @param args the arguments as JSON with masked properties hidden, or {@code null}
 * @param reason why: {@code error}, {@code timeout}, {@code cancelled}, {@code stalled}
 * (its workers kept dying), {@code unknown-task} or {@code bad-arguments}
 * @param node the node it last ran on
 * @param attempts how many times it ran
 * @param exception the exception's class, or {@code null}
 * @param message the exception's message, or {@code null}
 * @param stackTrace the exception's stack trace, or {@code null}
 * @param failedAt when it failed
 */
public record FailedJob(String id, String task, String queue, @Nullable String args, String reason, String node,
		int attempts, @Nullable String exception, @Nullable String message, @Nullable String stackTrace,
		Instant failedAt) {
}
