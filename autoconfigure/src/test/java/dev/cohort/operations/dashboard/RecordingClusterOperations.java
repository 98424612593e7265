package dev.cohort.operations.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.NodeRole;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.ClusterOverview;
import dev.cohort.operations.NodeOverview;
import dev.cohort.operations.RecurringTaskOverview;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.QueueHistory;
import dev.cohort.tasks.QueueStats;

/**
 * A hand-written {@link ClusterOperations} for the dashboard's web layer: fixed answers,
 * a record of every write and who asked for it, and of every page of jobs read. (What the
 * operations do to Redis is tested with the real implementation.)
 */
public class RecordingClusterOperations implements ClusterOperations {

	/** The failed job it knows, in queue {@code images}. */
	public static final String FAILED_JOB = "job-1";

	public static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	private final List<String> writes = new CopyOnWriteArrayList<>();

	private final List<String> pages = new CopyOnWriteArrayList<>();

	/**
	 * The writes asked for, as {@code operation target by actor}.
	 * @return the writes, in order
	 */
	public List<String> writes() {
		return this.writes;
	}

	/**
	 * The pages of jobs read, as {@code list queue from count}.
	 * @return the pages, in order
	 */
	public List<String> pages() {
		return this.pages;
	}

	@Override
	public ClusterOverview overview() {
		NodeOverview node = new NodeOverview("node-1", NodeRole.ALL, "host-1", 42, "0.1.0", NOW.minusSeconds(60),
				NOW.minusSeconds(1));
		QueueStats images = new QueueStats("images", 2, 1, 0, 1, 10, 1, 0, 0, Duration.ofSeconds(3), true);
		RecurringTaskOverview nightly = new RecurringTaskOverview("nightly-report", "images", "0 0 2 * * *", null,
				NOW.plusSeconds(3600), "node-1", true);
		return new ClusterOverview(NOW, "node-1", List.of(node), List.of(images), List.of(), List.of(nightly),
				List.of(), List.of(), Map.of("node-1", 0L));
	}

	@Override
	public Optional<NodeDetails> node(String nodeId) {
		return Optional.empty();
	}

	@Override
	public Optional<QueueDetails> queue(String queue, int from, int count) {
		if (!queue.equals("images")) {
			return Optional.empty();
		}
		FailedJob failed = new FailedJob(FAILED_JOB, "make-thumbnail", "images", "{\"image\":\"<script>\"}", "error",
				"node-1", 3, "java.lang.IllegalStateException", "<img src=x onerror=alert(1)>", "at x.y(Z.java:1)",
				NOW);
		return Optional.of(new QueueDetails(overview().queues().get(0), jobs(JobInfo.State.WAITING, 0),
				jobs(JobInfo.State.DELAYED, 0), List.of(), (from == 0) ? List.of(failed) : List.of(),
				history(queue, Duration.ofHours(1))));
	}

	@Override
	public List<JobInfo> waiting(String queue, int from, int count) {
		this.pages.add("waiting " + queue + " " + from + " " + count);
		return queue.equals("images") ? jobs(JobInfo.State.WAITING, from) : List.of();
	}

	@Override
	public List<JobInfo> delayed(String queue, int from, int count) {
		this.pages.add("delayed " + queue + " " + from + " " + count);
		return queue.equals("images") ? jobs(JobInfo.State.DELAYED, from) : List.of();
	}

	@Override
	public List<FailedJob> failed(String queue, int from, int count) {
		this.pages.add("failed " + queue + " " + from + " " + count);
		return queue(queue, from, count).map(QueueDetails::failed).orElse(List.of());
	}

	// The queue's one waiting job (job-2) or delayed job (job-3), at position 0.
	private static List<JobInfo> jobs(JobInfo.State state, int from) {
		if (from > 0) {
			return List.of();
		}
		boolean delayed = state == JobInfo.State.DELAYED;
		return List
			.of(new JobInfo(delayed ? "job-3" : "job-2", "make-thumbnail", "images", "{\"image\":\"<b>cat</b>\"}",
					NOW.minusSeconds(30), state, delayed ? NOW.plusSeconds(60) : null, null, null));
	}

	@Override
	public boolean pauseQueue(String queue, String actor) {
		return record("pause " + queue, actor, true);
	}

	@Override
	public boolean resumeQueue(String queue, String actor) {
		return record("resume " + queue, actor, true);
	}

	@Override
	public long deleteQueue(String queue, String actor) {
		record("delete-queue " + queue, actor, true);
		return 3;
	}

	@Override
	public boolean pauseRecurring(String task, String actor) {
		return record("pause-recurring " + task, actor, true);
	}

	@Override
	public boolean resumeRecurring(String task, String actor) {
		return record("resume-recurring " + task, actor, true);
	}

	@Override
	public QueueHistory history(String queue, Duration window) {
		return new QueueHistory(queue,
				List.of(new QueueHistory.Minute(NOW.minusSeconds(60), 4, 1), new QueueHistory.Minute(NOW, 6, 0)));
	}

	@Override
	public Optional<RoomDetails> room(String room) {
		return Optional.empty();
	}

	@Override
	public boolean retryFailed(String jobId, String actor) {
		return record("retry " + jobId, actor, jobId.equals(FAILED_JOB));
	}

	@Override
	public long retryAllFailed(String queue, String actor) {
		record("retry-all " + queue, actor, true);
		return 1;
	}

	@Override
	public boolean deleteFailed(String jobId, String actor) {
		return record("delete " + jobId, actor, jobId.equals(FAILED_JOB));
	}

	@Override
	public long deleteAllFailed(String queue, String actor) {
		record("delete-all " + queue, actor, true);
		return 1;
	}

	@Override
	public boolean cancelJob(String jobId, String actor) {
		return record("cancel " + jobId, actor, true);
	}

	@Override
	public boolean releaseLock(String name, String actor) {
		return record("release " + name, actor, true);
	}

	@Override
	public boolean disconnect(String connectionId, String actor) {
		return record("disconnect " + connectionId, actor, false);
	}

	private boolean record(String write, String actor, boolean result) {
		this.writes.add(write + " by " + actor);
		return result;
	}

}
