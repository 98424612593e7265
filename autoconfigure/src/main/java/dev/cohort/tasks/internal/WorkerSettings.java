package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.List;

import org.springframework.util.Assert;

/**
 * How a node's {@link TaskWorker} drains the queues.
 *
 * @param nodeId the node, named as the holder of its leases
 * @param queues the queues in priority order; {@code *} stands for every queue, in name
 * order
 * @param minProcessors the processors kept when idle
 * @param maxProcessors the most jobs run at once
 * @param lease how long a job's lease lasts unless renewed
 * @param maxStalls how many lapsed leases a job survives before it fails
 * @param lockWait how long a job waits when its job lock is held
 * @param shutdownTimeout how long running jobs may finish when the node stops
 */
public record WorkerSettings(String nodeId, List<String> queues, int minProcessors, int maxProcessors, Duration lease,
		int maxStalls, Duration lockWait, Duration shutdownTimeout) {

	public WorkerSettings {
		Assert.notEmpty(queues, "'queues' must not be empty");
		Assert.isTrue(minProcessors >= 0 && maxProcessors >= 1 && minProcessors <= maxProcessors,
				"'minProcessors' and 'maxProcessors' must satisfy 0 <= min <= max and max >= 1");
		queues = List.copyOf(queues);
	}

}
