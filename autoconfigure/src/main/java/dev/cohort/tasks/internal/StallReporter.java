package dev.cohort.tasks.internal;

import java.util.function.Consumer;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.internal.RemoteText;
import dev.cohort.tasks.JobFailedEvent;
import dev.cohort.tasks.JobStalledEvent;
import dev.cohort.tasks.TaskStore.Stall;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes each stall that this worker's claims find visible, once: a WARN line naming the
 * job, its task and the node that lost it, the {@code cohort.tasks.stalled} counter and a
 * {@link JobStalledEvent}; and, for a job that failed for good as {@code stalled}, a
 * {@code fail} in {@code cohort.tasks.run} (with no run time: nothing ran here) and a
 * {@link JobFailedEvent}, like any other failure. Only the claim that takes a job back
 * hears of it, so no stall is reported twice.
 */
final class StallReporter implements Consumer<Stall> {

	private static final Log logger = LogFactory.getLog(StallReporter.class);

	private final ClusterMetrics metrics;

	private final int maxStalls;

	private final JobEvents events;

	StallReporter(ClusterMetrics metrics, int maxStalls, JobEvents events) {
		this.metrics = metrics;
		this.events = events;
		this.maxStalls = maxStalls;
	}

	@Override
	public void accept(Stall stall) {
		this.metrics.taskStalled(stall.queue());
		if (stall.failed()) {
			this.metrics.taskRun(stall.task(), "fail", 0);
		}
		logger.warn("Job " + RemoteText.name(stall.jobId()) + " of task '" + RemoteText.name(stall.task())
				+ "' in queue '" + stall.queue() + "' stalled: the lease of node '" + RemoteText.name(stall.node())
				+ "' lapsed (it stopped, hung, or could not reach Redis for longer than cluster.tasks.lease); stall "
				+ stall.stalls()
				+ ((stall.failed())
						? ", more than cluster.tasks.max-stalls (" + this.maxStalls
								+ "): it failed for good with reason 'stalled'"
						: ": it goes back to the front of its queue"));
		this.events.publish(new JobStalledEvent(stall.jobId(), stall.task(), stall.queue(), stall.node(),
				stall.stalls(), stall.failed()));
		if (stall.failed()) {
			this.events.publish(new JobFailedEvent(stall.jobId(), stall.task(), stall.queue(), stall.attempt(),
					stall.node(), "stalled", null));
		}
	}

}
