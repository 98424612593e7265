package dev.cohort.tasks;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The counts of one queue.
 *
 * @param queue the queue
 * @param waiting jobs waiting for a worker
 * @param delayed jobs waiting for their due time
 * @param running jobs running now
 * @param failed failed jobs kept
 * @param processed jobs done since the queue began
 * @param failures jobs that failed for good since the queue began
 * @param retries attempts retried after a failure since the queue began
 * @param stalls runs taken back after their worker's lease lapsed since the queue began
 * @param oldestWaitingAge how long the next job to run has waited, or {@code null} if
 * none waits
 * @param paused whether the queue is paused ({@link ClusterTasks#pauseQueue}): workers
 * take none of its jobs
 */
public record QueueStats(String queue, long waiting, long delayed, long running, long failed, long processed,
		long failures, long retries, long stalls, @Nullable Duration oldestWaitingAge, boolean paused) {

	/**
	 * The counts of a queue that is not paused.
	 * @param queue the queue
	 * @param waiting jobs waiting for a worker
	 * @param delayed jobs waiting for their due time
	 * @param running jobs running now
	 * @param failed failed jobs kept
	 * @param processed jobs done since the queue began
	 * @param failures jobs that failed for good since the queue began
	 * @param retries attempts retried after a failure since the queue began
	 * @param stalls runs taken back after their worker's lease lapsed since the queue
	 * began
	 * @param oldestWaitingAge how long the next job to run has waited, or {@code null} if
	 * none waits
	 */
	public QueueStats(String queue, long waiting, long delayed, long running, long failed, long processed,
			long failures, long retries, long stalls, @Nullable Duration oldestWaitingAge) {
		this(queue, waiting, delayed, running, failed, processed, failures, retries, stalls, oldestWaitingAge, false);
	}

}
