package dev.cohort.tasks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job as the inspection API shows it.
 *
 * @param id the job id
 * @param task the task's name
 * @param queue the queue
 * @param args the arguments as JSON, or {@code null}
 * @param enqueuedAt when it was enqueued
 * @param state where it is
 * @param dueAt when a delayed job is due, else {@code null}
 * @param node the node running it, else {@code null}
 * @param startedAt when its current run started, else {@code null}
 */
public record JobInfo(String id, String task, String queue, @Nullable String args, Instant enqueuedAt, State state,
		@Nullable Instant dueAt, @Nullable String node, @Nullable Instant startedAt) {

	/**
	 * Where a job is.
	 */
	public enum State {

		/** In its queue, waiting for a worker. */
		WAITING,

		/** Waiting for its due time (enqueued in or at, or retried after a failure). */
		DELAYED,

		/** Running on a worker, under a lease. */
		RUNNING

	}

}
