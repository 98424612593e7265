package dev.cohort.testapp;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Tasks for tests, which record what they ran.
 */
public class TaskEndpoints {

	/**
	 * Every run of {@code record} and {@code fail-twice}: job id, attempt and argument.
	 */
	public final Queue<Run> runs = new ConcurrentLinkedQueue<>();

	/** Jobs of {@code block} wait on this latch; tests replace it. */
	public volatile CountDownLatch release = new CountDownLatch(1);

	/** Jobs of {@code block} that are running. */
	public final AtomicInteger blocked = new AtomicInteger();

	/** Jobs of {@code timed} that started. */
	public final AtomicInteger timedStarted = new AtomicInteger();

	/** Jobs of {@code timed} that were interrupted. */
	public final AtomicInteger timedInterrupted = new AtomicInteger();

	/** The context of the latest run of {@code watch-lease} that started. */
	public volatile JobContext watched;

	/** The attempts of {@code watch-lease} that started, in order. */
	public final Queue<Integer> watchedAttempts = new ConcurrentLinkedQueue<>();

	/** Most {@code locked} jobs that ran at once, by argument. */
	public final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> atOnce = new ConcurrentHashMap<>();

	private final ObjectProvider<TaskLog> log;

	private final String nodeId;

	TaskEndpoints(ObjectProvider<TaskLog> log, ObjectProvider<ClusterNodes> nodes) {
		this.log = log;
		this.nodeId = nodes.getObject().self().id();
	}

	/**
	 * Logs {@code <job id>|<node>|<attempt>} to the {@link TaskLog} when it starts, then
	 * takes a little time, so that a worker has several in flight when it is killed.
	 * @param job the job
	 * @throws InterruptedException if interrupted
	 */
	@ClusterTask(name = "logged")
	void logged(JobContext job) throws InterruptedException {
		this.log.getObject().record(job.jobId() + "|" + this.nodeId + "|" + job.attempt());
		// The job's work, not synchronisation: it keeps jobs in flight for the kill.
		Thread.sleep(2);
	}

	@ClusterTask(name = "record")
	void record(Greeting greeting, JobContext job) {
		this.runs.add(new Run(job.jobId(), job.attempt(), greeting, job.fencingToken()));
	}

	@ClusterTask(name = "record-high", queue = "high")
	void recordHigh(Greeting greeting, JobContext job) {
		this.runs.add(new Run(job.jobId(), job.attempt(), greeting, job.fencingToken()));
	}

	@ClusterTask(name = "fail-twice", retries = 2, backoff = "20ms", backoffMultiplier = 2)
	void failTwice(Greeting greeting, JobContext job) {
		this.runs.add(new Run(job.jobId(), job.attempt(), greeting, job.fencingToken()));
		if (job.attempt() < 3) {
			throw new IllegalStateException("attempt " + job.attempt() + " fails");
		}
	}

	@ClusterTask(name = "always-fails", retries = 1, backoff = "10ms", maskedArguments = "secret")
	void alwaysFails(Map<String, String> args) {
		throw new IllegalStateException("boom");
	}

	@ClusterTask(name = "slow", timeout = "200ms")
	void slow() throws InterruptedException {
		// Never released: only the timeout's interrupt ends it.
		new CountDownLatch(1).await(60, TimeUnit.SECONDS);
	}

	@ClusterTask(name = "timed", timeout = "${test.tasks.timeout:2s}")
	void timed() throws InterruptedException {
		this.timedStarted.incrementAndGet();
		try {
			// Never released: only the timeout's interrupt ends it.
			new CountDownLatch(1).await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			this.timedInterrupted.incrementAndGet();
			throw ex;
		}
	}

	@ClusterTask(name = "block")
	void block() throws InterruptedException {
		this.blocked.incrementAndGet();
		try {
			this.release.await(60, TimeUnit.SECONDS);
		}
		finally {
			this.blocked.decrementAndGet();
		}
	}

	/**
	 * On its first attempt, waits on {@link #release} and then fails, with no retries
	 * left; later attempts record a run in {@link #runs}.
	 * @param greeting the argument
	 * @param job the job
	 * @throws InterruptedException if interrupted
	 */
	@ClusterTask(name = "fail-first-when-released")
	void failFirstWhenReleased(Greeting greeting, JobContext job) throws InterruptedException {
		if (job.attempt() == 1) {
			this.blocked.incrementAndGet();
			try {
				this.release.await(60, TimeUnit.SECONDS);
			}
			finally {
				this.blocked.decrementAndGet();
			}
			throw new IllegalStateException("attempt 1 fails");
		}
		this.runs.add(new Run(job.jobId(), job.attempt(), greeting, job.fencingToken()));
	}

	/**
	 * Shows its context in {@link #watched}; the first attempt then waits on
	 * {@link #release}.
	 * @param job the job
	 * @throws InterruptedException if interrupted
	 */
	@ClusterTask(name = "watch-lease")
	void watchLease(JobContext job) throws InterruptedException {
		this.watched = job;
		this.watchedAttempts.add(job.attempt());
		if (job.attempt() == 1) {
			this.release.await(60, TimeUnit.SECONDS);
		}
	}

	@ClusterTask(name = "locked", jobLock = true)
	void locked(String key) throws InterruptedException {
		int now = this.atOnce.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		this.mostAtOnce.computeIfAbsent(key, (k) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
		try {
			// The job's work, not synchronisation: long enough for two jobs to overlap.
			Thread.sleep(50);
		}
		finally {
			this.atOnce.get(key).decrementAndGet();
		}
	}

	@ClusterTask(name = "unique", unique = true)
	void unique(Greeting greeting) {
	}

	/**
	 * One run of a task.
	 *
	 * @param jobId the job
	 * @param attempt the attempt
	 * @param greeting the argument
	 * @param fencingToken the lease's fencing token
	 */
	public record Run(String jobId, int attempt, Greeting greeting, long fencingToken) {
	}

}
