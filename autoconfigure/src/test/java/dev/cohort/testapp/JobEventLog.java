package dev.cohort.testapp;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cohort.tasks.JobDoneEvent;
import dev.cohort.tasks.JobFailedEvent;
import dev.cohort.tasks.JobStalledEvent;
import dev.cohort.tasks.JobStartedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;

/**
 * Records the job events this node publishes, in order; throws, after recording, on the
 * events of the task named by {@link #failOn}, as a broken listener would.
 */
public class JobEventLog {

	public final Queue<Object> events = new ConcurrentLinkedQueue<>();

	public volatile @Nullable String failOn;

	@EventListener
	void started(JobStartedEvent event) {
		record(event, event.task());
	}

	@EventListener
	void done(JobDoneEvent event) {
		record(event, event.task());
	}

	@EventListener
	void failed(JobFailedEvent event) {
		record(event, event.task());
	}

	@EventListener
	void stalled(JobStalledEvent event) {
		record(event, event.task());
	}

	private void record(Object event, String task) {
		this.events.add(event);
		if (task.equals(this.failOn)) {
			throw new IllegalStateException("a listener that fails");
		}
	}

}
