package dev.cohort.tasks;

import java.time.Instant;
import java.util.List;

/**
 * Jobs done and failed per minute in one queue.
 *
 * @param queue the queue
 * @param minutes one entry per minute, oldest first
 */
public record QueueHistory(String queue, List<Minute> minutes) {

	/**
	 * One minute.
	 *
	 * @param start the minute's start, on the Redis server's clock
	 * @param done jobs done in it
	 * @param failed jobs failed for good in it
	 */
	public record Minute(Instant start, long done, long failed) {
	}

}
