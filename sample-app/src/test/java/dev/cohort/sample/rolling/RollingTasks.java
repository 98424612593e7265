package dev.cohort.sample.rolling;

import java.time.Instant;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.rpc.ClusterRpcMethod;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The tasks and the RPC method of {@link RollingRestartTests}, on every node of the
 * test's cluster. Runs are recorded in Redis hashes of the test's own, written with a
 * plain {@link StringRedisTemplate}, not with any Cohort structure, so that what the test
 * counts does not depend on what it tests.
 * <p>
 * Deliberately not a {@code @Component}: {@code SampleApplication} scans
 * {@code dev.cohort.sample}, and the other sample tests must not get these beans. The
 * nodes add it as a {@code @Bean} ({@link RollingNode}, {@link RollingDriver}).
 */
public class RollingTasks {

	/** The task of the steady load. */
	static final String JOB = "rolling-job";

	/** Its queue. */
	static final String QUEUE = "rolling";

	/** The recurring task. */
	static final String TICK = "rolling-tick";

	/** Its period, the default of {@code rolling.tick-frequency}. */
	static final long TICK_MILLIS = 2000;

	/** The RPC method. */
	static final String ECHO = "rolling-echo";

	/** One job in this many is a long one. */
	static final long LONG_EVERY = 100;

	/** How long a long job takes. */
	static final long LONG_MILLIS = 3000;

	/** Hash: job sequence number to how many runs of it started. */
	static final String STARTS = "rolling:starts";

	/** Hash: job sequence number to how many runs of it ended. */
	static final String RUNS = "rolling:runs";

	/** Hash: start of a recurring period (epoch ms) to how many runs of it ended. */
	static final String TICKS = "rolling:ticks";

	/** Hash: start of a recurring period (epoch ms) to the node that ran it and when. */
	static final String TICK_RUNS = "rolling:tick-runs";

	private final StringRedisTemplate redis;

	private final ClusterNodes nodes;

	private final ClusterClock clock;

	RollingTasks(StringRedisTemplate redis, ClusterNodes nodes, ClusterClock clock) {
		this.redis = redis;
		this.nodes = nodes;
		this.clock = clock;
	}

	/**
	 * A job that records its start, and its run at its very end: a run that a stopping
	 * worker interrupts and hands back throws before it records the run. Most jobs take a
	 * few milliseconds, which a stopping worker lets finish; one in {@value #LONG_EVERY}
	 * takes longer than the test's {@code cluster.tasks.shutdown-timeout}, so that a
	 * stopping worker has some to hand back.
	 * @param sequence the job's number, given by the test
	 * @param job the running job
	 * @throws InterruptedException when its worker stops it
	 */
	@ClusterTask(name = JOB, queue = QUEUE)
	void job(String sequence, JobContext job) throws InterruptedException {
		this.redis.opsForHash().increment(STARTS, sequence, 1);
		Thread.sleep((Long.parseLong(sequence) % LONG_EVERY == 0) ? LONG_MILLIS : 2);
		if (job.isCancelled()) {
			throw new InterruptedException("Stopped before recording " + sequence);
		}
		this.redis.opsForHash().increment(RUNS, sequence, 1);
	}

	@ClusterTask(name = TICK, frequency = "${rolling.tick-frequency:2s}")
	void tick(JobContext job) {
		Instant period = job.period().orElseThrow();
		String key = Long.toString(period.toEpochMilli());
		this.redis.opsForHash()
			.put(TICK_RUNS, key, this.nodes.self().id() + " " + (this.clock.millis() - period.toEpochMilli()));
		this.redis.opsForHash().increment(TICKS, key, 1);
	}

	/**
	 * Answers with this node's id, so that the caller can tell who answered.
	 * @param text any text
	 * @return this node's id, a colon, and the text
	 */
	@ClusterRpcMethod(ECHO)
	String echo(String text) {
		return this.nodes.self().id() + ":" + text;
	}

}
