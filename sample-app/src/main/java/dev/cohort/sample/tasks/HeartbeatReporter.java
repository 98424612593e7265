package dev.cohort.sample.tasks;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The recurring {@value #TASK} task: once per {@code sample.report-frequency} (30s by
 * default; see {@code application.yml}) for the whole cluster, not once per node.
 * <p>
 * One worker node leads the scheduler and enqueues a run for each period, periods
 * starting at multiples of the frequency since the epoch; any worker that drains the
 * {@code default} queue runs it. If the leader dies, another worker takes over and
 * enqueues the periods it missed. The run records the latest report in the cluster cache,
 * keeping the one of the latest period should two runs end out of order.
 */
@Component
public class HeartbeatReporter {

	/** The task's name. */
	public static final String TASK = "heartbeat-report";

	/** Where the latest report is kept. */
	static final String LAST_REPORT = "tasks:heartbeat-report";

	private static final Log logger = LogFactory.getLog(HeartbeatReporter.class);

	private final ClusterCache cache;

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	private final AtomicLong runs = new AtomicLong();

	HeartbeatReporter(ClusterCache cache, ClusterNodes clusterNodes, ClusterClock clusterClock) {
		this.cache = cache;
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
	}

	/**
	 * Records who is alive. A recurring task takes no arguments; its {@link JobContext}
	 * says which period the run is for.
	 * @param job the running job
	 */
	@ClusterTask(name = TASK, frequency = "${sample.report-frequency:30s}")
	void report(JobContext job) {
		Instant ranAt = Instant.ofEpochMilli(this.clusterClock.millis());
		// Enqueued by hand ('ClusterTasks.enqueue("heartbeat-report", null)'), a run has
		// no period.
		Instant period = job.period().orElse(ranAt);
		HeartbeatReport report = new HeartbeatReport(period, this.clusterNodes.self().id(),
				this.clusterNodes.members().size(), job.attempt(), ranAt);
		this.cache.update(LAST_REPORT, HeartbeatReport.class,
				(last) -> (last == null || last.period().isBefore(period)) ? report : last);
		this.runs.incrementAndGet();
		logger.info("Heartbeat report for the period of " + period + ": " + report.liveMembers() + " live member(s)");
	}

	/**
	 * How many runs this node made: always 0 on a server node.
	 * @return the count
	 */
	public long runs() {
		return this.runs.get();
	}

}
