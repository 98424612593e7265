package dev.cohort.testapp;

import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;

import org.springframework.beans.factory.ObjectProvider;

/**
 * A recurring task for tests, present only when {@code test.tasks.recurring=true}.
 */
public class RecurringTicks {

	/** The periods of the runs on this node. */
	public final Queue<Instant> periods = new ConcurrentLinkedQueue<>();

	private final ObjectProvider<TaskLog> log;

	private final String nodeId;

	RecurringTicks(ObjectProvider<TaskLog> log, ClusterNodes nodes) {
		this.log = log;
		this.nodeId = nodes.self().id();
	}

	@ClusterTask(name = "tick", frequency = "${test.tasks.frequency:300ms}")
	void tick(JobContext job) {
		Instant period = job.period().orElseThrow();
		this.periods.add(period);
		this.log.ifAvailable((log) -> log.record(period.toEpochMilli() + "|" + this.nodeId + "|" + job.attempt()));
	}

}
