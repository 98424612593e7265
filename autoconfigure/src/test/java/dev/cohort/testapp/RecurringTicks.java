package dev.cohort.testapp;

import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;

/**
 * A recurring task for tests, present only when {@code test.tasks.recurring=true}.
 */
public class RecurringTicks {

	/** The periods of the runs on this node. */
	public final Queue<Instant> periods = new ConcurrentLinkedQueue<>();

	@ClusterTask(name = "tick", frequency = "${test.tasks.frequency:300ms}")
	void tick(JobContext job) {
		this.periods.add(job.period().orElseThrow());
	}

}
