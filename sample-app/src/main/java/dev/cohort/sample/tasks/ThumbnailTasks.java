package dev.cohort.sample.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
 * The {@value #MAKE_THUMBNAIL} task: a bean method annotated with {@link ClusterTask}.
 * <p>
 * The bean exists on every node, servers included: that is how a node that enqueues a job
 * by name knows the task's queue ({@value #QUEUE}). Only the nodes whose
 * {@code cluster.role} is {@code worker} or {@code all} run a worker that takes jobs, so
 * on a {@code server} node this method is never called. Jobs run on Cohort's task threads
 * ({@code cohort-task-<n>}), several at a time, so the method is thread-safe.
 * <p>
 * A failed attempt is tried again twice, after 1s and then 2s; the third failure sends
 * the job to the failed jobs. Delivery is at least once (a job whose worker dies runs
 * again elsewhere), so the result is written only if the attempt's fencing token is
 * larger than that of the result already kept: an attempt that lost its lease cannot
 * overwrite a later one's result.
 */
@Component
public class ThumbnailTasks {

	/** The task's name, which {@code ClusterTasks.enqueue} takes. */
	public static final String MAKE_THUMBNAIL = "make-thumbnail";

	/** The queue its jobs go to, which the {@code worker} profile drains first. */
	public static final String QUEUE = "images";

	/** Where a job's thumbnail is kept: this prefix and the job id. */
	static final String RESULT_PREFIX = "thumbnail:";

	/** How long a thumbnail is kept in the cluster cache. */
	static final Duration RESULT_TTL = Duration.ofHours(1);

	private static final Duration STEP = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(ThumbnailTasks.class);

	private final ClusterCache cache;

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	private final AtomicLong attempts = new AtomicLong();

	private final AtomicLong made = new AtomicLong();

	ThumbnailTasks(ClusterCache cache, ClusterNodes clusterNodes, ClusterClock clusterClock) {
		this.cache = cache;
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
	}

	/**
	 * Makes a thumbnail, slowly. The arguments arrive as the JSON the enqueuer wrote,
	 * mapped to {@link ThumbnailJob}; the {@link JobContext} says which job and attempt
	 * this is.
	 * @param thumbnail the job's arguments
	 * @param job the running job
	 * @throws InterruptedException if the job is cancelled (or times out, or loses its
	 * lease) while it works: the worker interrupts its thread
	 */
	@ClusterTask(name = MAKE_THUMBNAIL, queue = QUEUE, retries = 2, backoff = "1s", backoffMultiplier = 2)
	void makeThumbnail(ThumbnailJob thumbnail, JobContext job) throws InterruptedException {
		this.attempts.incrementAndGet();
		logger.info("Job " + job.jobId() + ", attempt " + job.attempt() + ": making a " + thumbnail.width()
				+ "px thumbnail of '" + thumbnail.image() + "'");
		work(Duration.ofMillis(thumbnail.workMillis()), job);
		if (thumbnail.fail() || job.attempt() <= thumbnail.failAttempts()) {
			// What the task throws fails the attempt: retried, or failed for good.
			throw new IllegalStateException("Could not make a thumbnail of '" + thumbnail.image() + "' (attempt "
					+ job.attempt() + "): the request asked to fail");
		}
		String key = RESULT_PREFIX + job.jobId();
		Thumbnail made = new Thumbnail(job.jobId(), thumbnail.image(), thumbnail.width(),
				"thumbnails/" + thumbnail.width() + "/" + thumbnail.image(), this.clusterNodes.self().id(),
				job.attempt(), job.fencingToken(), Instant.ofEpochMilli(this.clusterClock.millis()));
		Thumbnail kept = this.cache.update(key, Thumbnail.class,
				(last) -> (last == null || last.fencingToken() < made.fencingToken()) ? made : last);
		if (!made.equals(kept)) {
			logger.warn("Job " + job.jobId() + ", attempt " + job.attempt() + " lost its lease: a later attempt "
					+ "has recorded its thumbnail already");
			return;
		}
		this.cache.expire(key, RESULT_TTL);
		this.made.incrementAndGet();
	}

	/**
	 * Works for a while, in steps, and stops between steps if the job was cancelled. (The
	 * worker interrupts the thread too, which ends the sleep at once.)
	 */
	private static void work(Duration duration, JobContext job) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			if (job.isCancelled()) {
				throw new InterruptedException("Job " + job.jobId() + " was told to stop");
			}
			TimeUnit.NANOSECONDS.sleep(Math.min(left, STEP.toNanos()));
		}
	}

	/**
	 * How many attempts this node ran, failed ones included: always 0 on a server node.
	 * @return the count
	 */
	public long attempts() {
		return this.attempts.get();
	}

	/**
	 * How many thumbnails this node made.
	 * @return the count
	 */
	public long made() {
		return this.made.get();
	}

}
