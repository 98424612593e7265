package dev.cohort.sample.tasks;

import java.time.Instant;

import dev.cohort.tasks.FailedJob;
import org.jspecify.annotations.Nullable;

/**
 * A failed job as {@code GET /tasks/failed} shows it: a {@link FailedJob} without its
 * stack trace, which would drown the rest (the worker's log has it at DEBUG).
 *
 * @param id the job id, to retry it ({@code POST /tasks/failed/{id}/retry}) or remove it
 * ({@code DELETE /tasks/jobs/{id}})
 * @param task the task's name
 * @param queue the queue
 * @param args the arguments, as JSON text
 * @param reason why: {@code error}, {@code timeout}, {@code cancelled}, {@code stalled},
 * {@code unknown-task} or {@code bad-arguments}
 * @param node the node it last ran on
 * @param attempts how many times it ran
 * @param exception the class of the exception it last threw
 * @param message that exception's message
 * @param failedAt when it failed for good
 */
public record FailedJobView(String id, String task, String queue, @Nullable String args, String reason, String node,
		int attempts, @Nullable String exception, @Nullable String message, Instant failedAt) {

	static FailedJobView of(FailedJob job) {
		return new FailedJobView(job.id(), job.task(), job.queue(), job.args(), job.reason(), job.node(),
				job.attempts(), job.exception(), job.message(), job.failedAt());
	}

}
