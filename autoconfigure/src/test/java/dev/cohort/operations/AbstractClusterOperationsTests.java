package dev.cohort.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cache.LockInfo;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.operations.ClusterOperations.QueueDetails;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.QueueStats;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link ClusterOperations} on a cluster of real nodes: what it shows of every node, and
 * each write operation checked in the store afterwards. Run on Redis (three nodes) and on
 * the local transport (one node).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractClusterOperationsTests {

	static final String SOURCES = "spring.main.sources=" + OperationsTestTasks.class.getName();

	static final Map<String, String> SECRET_ARGS = Map.of("secret", "s3cr3t", "who", "ann");

	private static final Duration WAIT = Duration.ofSeconds(20);

	protected TestNodes nodes;

	/** The nodes: those with a web server first, each with one client. */
	protected final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	protected final List<TestClient> clients = new ArrayList<>();

	/**
	 * Starts the nodes of the test.
	 * @return the nodes
	 */
	protected abstract TestNodes createNodes();

	/**
	 * Starts the nodes into {@link #contexts}, those with a web server first.
	 * @return how many have a web server
	 */
	protected abstract int startNodes();

	/** Whether the store lists a job as failed. */
	protected abstract boolean storeHasFailed(String jobId);

	/** Whether the store holds a job at all (waiting, delayed, running or failed). */
	protected abstract boolean storeHasJob(String jobId);

	/** Whether the store holds a lock. */
	protected abstract boolean storeHasLock(String name);

	/** Whether the connection directory lists a connection, and for which node. */
	protected abstract boolean directoryHas(String connectionId, String nodeId);

	@BeforeEach
	void startCluster() throws Exception {
		OperationsTestTasks.failing = true;
		OperationsTestTasks.release = new CountDownLatch(1);
		this.nodes = createNodes();
		int web = startNodes();
		for (int i = 0; i < web; i++) {
			this.clients.add(TestClient.connect(this.contexts.get(i)));
		}
		ChatRooms rooms = first().getBean(ChatRooms.class);
		rooms.add("lobby");
		for (TestClient client : this.clients) {
			rooms.addMember(client.id(), "lobby");
		}
		await().atMost(WAIT)
			.until(() -> this.contexts.stream()
				.allMatch((node) -> node.getBean(ClusterNodes.class).members().size() == this.contexts.size()));
	}

	@AfterEach
	void stopCluster() throws Exception {
		OperationsTestTasks.release.countDown();
		for (TestClient client : this.clients) {
			client.close();
		}
		this.nodes.close();
	}

	@Test
	void theOverviewShowsEveryNodeQueueWorkerRecurringTaskLockRoomAndConnection() throws Exception {
		ClusterLock lock = last().getBean(ClusterCache.class).tryLock("ops-lock", Duration.ofMinutes(1)).orElseThrow();
		String held = tasks().enqueue("ops-hold", SECRET_ARGS);
		ClusterOperations operations = operations();
		await().atMost(WAIT)
			.until(() -> running(operations.overview()).stream().anyMatch((job) -> job.id().equals(held)));
		await().atMost(WAIT).until(() -> operations.overview().recurring().stream().allMatch(this::ticked));
		ClusterOverview overview = operations.overview();

		assertThat(overview.self()).isEqualTo(id(first()));
		assertThat(overview.nodes()).extracting(NodeOverview::id)
			.containsExactlyElementsOf(
					this.contexts.stream().map(AbstractClusterOperationsTests::id).sorted().toList());
		assertThat(overview.nodes()).allSatisfy((node) -> {
			assertThat(node.lastHeartbeat()).isNotNull().isAfterOrEqualTo(node.startedAt());
			assertThat(node.lastHeartbeat()).isBefore(overview.readAt().plusSeconds(1));
		});

		QueueStats ops = overview.queues()
			.stream()
			.filter((queue) -> queue.queue().equals("ops"))
			.findFirst()
			.orElseThrow();
		assertThat(ops.running()).isEqualTo(1);

		JobInfo running = running(overview).stream().filter((job) -> job.id().equals(held)).findFirst().orElseThrow();
		assertThat(running.args()).contains("\"secret\":\"***\"").contains("ann").doesNotContain("s3cr3t");
		assertThat(overview.workers()).extracting(WorkerOverview::nodeId).contains(running.node());

		assertThat(overview.recurring()).singleElement().satisfies((tick) -> {
			assertThat(tick.task()).isEqualTo("tick");
			assertThat(tick.schedule()).isEqualTo("every PT1H");
			assertThat(tick.nextFire()).isEqualTo(tick.lastPeriod().plus(Duration.ofHours(1)));
			assertThat(tick.leader()).isIn(this.contexts.stream().map(AbstractClusterOperationsTests::id).toList());
		});

		// The scheduler's leadership is the task store's, not a cache lock.
		assertThat(overview.locks()).extracting(LockInfo::name).contains("ops-lock");
		LockInfo ours = overview.locks()
			.stream()
			.filter((info) -> info.name().equals("ops-lock"))
			.findFirst()
			.orElseThrow();
		assertThat(ours.nodeId()).isEqualTo(id(last()));
		assertThat(ours.fencingToken()).isEqualTo(lock.fencingToken());
		assertThat(ours.ttl()).isPositive();

		assertThat(overview.rooms()).containsExactly(new RoomOverview("lobby", this.clients.size()));
		for (int i = 0; i < this.contexts.size(); i++) {
			assertThat(overview.connectionsPerNode()).containsEntry(id(this.contexts.get(i)),
					(i < this.clients.size()) ? 1L : 0L);
		}
	}

	@Test
	void oneNodeWithItsConnections() {
		ConfigurableApplicationContext node = first();
		ClusterOperations.NodeDetails details = operations().node(id(node)).orElseThrow();
		assertThat(details.node().id()).isEqualTo(id(node));
		assertThat(details.node().lastHeartbeat()).isNotNull();
		assertThat(details.connections()).extracting(ConnectionInfo::connectionId)
			.containsExactly(this.clients.get(0).id());
		ConfigurableApplicationContext other = last();
		assertThat(operations().node(id(other)).orElseThrow().connections())
			.hasSize((other == node) ? 1 : (this.clients.size() == this.contexts.size()) ? 1 : 0);
		assertThat(operations().node("no-such-node")).isEmpty();
	}

	@Test
	void oneRoomWithItsMembersOnEveryNode() {
		ClusterOperations.RoomDetails lobby = operations().room("lobby").orElseThrow();
		assertThat(lobby.members()).extracting(RoomMember::connectionId)
			.containsExactlyInAnyOrderElementsOf(this.clients.stream().map(TestClient::id).toList());
		assertThat(lobby.members()).extracting(RoomMember::nodeId)
			.containsExactlyInAnyOrderElementsOf(this.contexts.subList(0, this.clients.size())
				.stream()
				.map(AbstractClusterOperationsTests::id)
				.toList());
		assertThat(operations().room("no-such-room")).isEmpty();
	}

	@Test
	void oneQueueWithItsDelayedRunningAndFailedJobsMasked() {
		String failed = failedJob();
		String delayed = tasks().enqueueIn(Duration.ofHours(1), "ops-flaky", SECRET_ARGS);
		String held = tasks().enqueue("ops-hold", SECRET_ARGS);
		await().atMost(WAIT)
			.until(() -> operations().queue("ops", 0, 10)
				.orElseThrow()
				.running()
				.stream()
				.anyMatch((job) -> job.id().equals(held)));
		QueueDetails queue = operations().queue("ops", 0, 10).orElseThrow();
		assertThat(queue.counts().failed()).isEqualTo(1);
		assertThat(queue.counts().delayed()).isEqualTo(1);
		assertThat(queue.failed()).singleElement().satisfies((job) -> {
			assertThat(job.id()).isEqualTo(failed);
			assertThat(job.args()).contains("***").doesNotContain("s3cr3t");
			assertThat(job.message()).isEqualTo("flaky fails for ann");
		});
		assertThat(queue.delayed()).singleElement().satisfies((job) -> {
			assertThat(job.id()).isEqualTo(delayed);
			assertThat(job.args()).contains("***").doesNotContain("s3cr3t");
		});
		assertThat(queue.running()).singleElement()
			.satisfies((job) -> assertThat(job.args()).contains("***").doesNotContain("s3cr3t"));
		assertThat(queue.lastHour().minutes()).hasSize(60);
		assertThat(operations().queue("ops", 1, 10).orElseThrow().failed()).isEmpty();
		assertThat(operations().queue("no-such-queue", 0, 10)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> operations().queue("ops", -1, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> operations().queue("ops", 0, 0));
	}

	@Test
	void aPausedQueueKeepsItsJobsWaitingPagedAndDeletedByTheOperator(CapturedOutput output) {
		String firstFailed = failedJob();
		String secondFailed = failedJob();
		assertThat(operations().pauseQueue("ops", "fay")).isTrue();
		assertThat(operations().pauseQueue("ops", "fay")).isFalse();
		assertThat(operations().overview().queues()).filteredOn((queue) -> queue.queue().equals("ops"))
			.singleElement()
			.satisfies((queue) -> assertThat(queue.paused()).isTrue());
		List<String> waiting = new ArrayList<>();
		List<String> delayed = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			waiting.add(tasks().enqueue("ops-flaky", SECRET_ARGS));
			delayed.add(tasks().enqueueIn(Duration.ofHours(i), "ops-flaky", SECRET_ARGS));
		}
		assertThat(operations().queue("ops", 0, 10).orElseThrow().waiting()).extracting(JobInfo::id)
			.containsExactlyElementsOf(waiting);
		assertThat(operations().waiting("ops", 1, 2)).extracting(JobInfo::id)
			.containsExactly(waiting.get(1), waiting.get(2));
		assertThat(operations().waiting("ops", 1, 2))
			.allSatisfy((job) -> assertThat(job.args()).contains("***").doesNotContain("s3cr3t"));
		assertThat(operations().delayed("ops", 0, 2)).extracting(JobInfo::id)
			.containsExactly(delayed.get(0), delayed.get(1));
		assertThat(operations().delayed("ops", 2, 2)).extracting(JobInfo::id).containsExactly(delayed.get(2));
		assertThat(operations().failed("ops", 0, 1)).extracting(FailedJob::id).containsExactly(firstFailed);
		assertThat(operations().failed("ops", 1, 1)).extracting(FailedJob::id).containsExactly(secondFailed);
		assertThatIllegalArgumentException().isThrownBy(() -> operations().waiting("ops", -1, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> operations().delayed("ops", 0, 0));
		assertThat(operations().deleteQueue("ops", "fay")).isEqualTo(6);
		assertThat(waiting).noneMatch(this::storeHasJob);
		assertThat(delayed).noneMatch(this::storeHasJob);
		assertThat(storeHasFailed(firstFailed)).as("failed jobs stay").isTrue();
		assertThat(operations().resumeQueue("ops", "fay")).isTrue();
		assertThat(operations().overview().queues()).filteredOn((queue) -> queue.queue().equals("ops"))
			.singleElement()
			.satisfies((queue) -> assertThat(queue.paused()).isFalse());
		assertThat(output).contains("Operator 'fay' paused queue 'ops'")
			.contains("Operator 'fay' asked to pause queue 'ops', which is paused already")
			.contains("Operator 'fay' deleted all 6 waiting and delayed jobs of queue 'ops'")
			.contains("Operator 'fay' resumed queue 'ops'");
	}

	@Test
	void aRecurringTaskIsPausedAndResumedByTheOperator(CapturedOutput output) {
		assertThat(operations().pauseRecurring("tick", "gus")).isTrue();
		assertThat(operations().overview().recurring()).singleElement()
			.satisfies((tick) -> assertThat(tick.paused()).isTrue());
		assertThat(tasks().pausedRecurring()).containsExactly("tick");
		assertThat(operations().resumeRecurring("tick", "gus")).isTrue();
		assertThat(operations().resumeRecurring("tick", "gus")).isFalse();
		assertThat(operations().overview().recurring()).singleElement()
			.satisfies((tick) -> assertThat(tick.paused()).isFalse());
		assertThatIllegalArgumentException().isThrownBy(() -> operations().pauseRecurring("ops-flaky", "gus"));
		assertThat(output).contains("Operator 'gus' paused recurring task 'tick'")
			.contains("Operator 'gus' resumed recurring task 'tick'");
	}

	@Test
	void historyCountsDoneAndFailedPerMinute() {
		failedJob();
		OperationsTestTasks.failing = false;
		String done = tasks().enqueue("ops-flaky", SECRET_ARGS);
		await().atMost(WAIT).until(() -> !storeHasJob(done));
		await().atMost(WAIT).untilAsserted(() -> {
			List<dev.cohort.tasks.QueueHistory.Minute> minutes = operations().history("ops", Duration.ofMinutes(5))
				.minutes();
			assertThat(minutes).hasSize(5);
			assertThat(minutes.stream().mapToLong(dev.cohort.tasks.QueueHistory.Minute::done).sum()).isEqualTo(1);
			assertThat(minutes.stream().mapToLong(dev.cohort.tasks.QueueHistory.Minute::failed).sum()).isEqualTo(1);
		});
		assertThatIllegalArgumentException().isThrownBy(() -> operations().history("ops", Duration.ofDays(2)));
	}

	@Test
	void retryFailedPutsTheJobBackAndItRunsToTheEnd(CapturedOutput output) {
		String job = failedJob();
		OperationsTestTasks.failing = false;
		assertThat(operations().retryFailed(job, "alice")).isTrue();
		assertThat(storeHasFailed(job)).isFalse();
		await().atMost(WAIT).until(() -> !storeHasJob(job) && processed() == 1);
		assertThat(output).contains("Operator 'alice' retried failed job '" + job + "' of queue 'ops'");
		assertThat(operations().retryFailed(job, "alice")).isFalse();
	}

	@Test
	void retryAllFailedPutsEveryFailedJobBack(CapturedOutput output) {
		String one = failedJob();
		String two = failedJob();
		OperationsTestTasks.failing = false;
		assertThat(operations().retryAllFailed("ops", "bob")).isEqualTo(2);
		assertThat(storeHasFailed(one)).isFalse();
		assertThat(storeHasFailed(two)).isFalse();
		await().atMost(WAIT).until(() -> !storeHasJob(one) && !storeHasJob(two));
		assertThat(output).contains("Operator 'bob' retried all 2 failed jobs of queue 'ops'");
	}

	@Test
	void deleteFailedDeletesOnlyAFailedJob(CapturedOutput output) {
		String failed = failedJob();
		String delayed = tasks().enqueueIn(Duration.ofHours(1), "ops-flaky", SECRET_ARGS);
		assertThat(operations().deleteFailed(delayed, "carol")).isFalse();
		assertThat(storeHasJob(delayed)).isTrue();
		assertThat(operations().deleteFailed(failed, "carol")).isTrue();
		assertThat(storeHasFailed(failed)).isFalse();
		assertThat(storeHasJob(failed)).isFalse();
		assertThat(output).contains("Operator 'carol' deleted failed job '" + failed + "' of queue 'ops'")
			.contains("Operator 'carol' asked to delete job '" + delayed + "'");
	}

	@Test
	void deleteAllFailedDeletesEveryFailedJobOfTheQueue(CapturedOutput output) {
		String one = failedJob();
		String two = failedJob();
		assertThat(operations().deleteAllFailed("ops", "dave")).isEqualTo(2);
		assertThat(storeHasJob(one)).isFalse();
		assertThat(storeHasJob(two)).isFalse();
		assertThat(tasks().stats()).filteredOn((stats) -> stats.queue().equals("ops"))
			.singleElement()
			.satisfies((stats) -> assertThat(stats.failed()).isZero());
		assertThat(output).contains("Operator 'dave' deleted all 2 failed jobs of queue 'ops'");
	}

	@Test
	void cancelJobRemovesADelayedJobAndStopsARunningOne(CapturedOutput output) {
		String delayed = tasks().enqueueIn(Duration.ofHours(1), "ops-flaky", SECRET_ARGS);
		assertThat(operations().cancelJob(delayed, "erin")).isTrue();
		assertThat(storeHasJob(delayed)).isFalse();
		String held = tasks().enqueue("ops-hold", SECRET_ARGS);
		await().atMost(WAIT)
			.until(() -> running(operations().overview()).stream().anyMatch((job) -> job.id().equals(held)));
		assertThat(operations().cancelJob(held, "erin")).isTrue();
		await().atMost(WAIT).until(() -> storeHasFailed(held));
		assertThat(tasks().failed("ops")).filteredOn((job) -> job.id().equals(held))
			.singleElement()
			.extracting(FailedJob::reason)
			.isEqualTo("cancelled");
		assertThat(output).contains("Operator 'erin' cancelled job '" + delayed + "' of queue 'ops'");
	}

	@Test
	void releaseLockFreesItAndTheNextHolderNumbersHigher(CapturedOutput output) {
		ClusterLock lock = last().getBean(ClusterCache.class).tryLock("ops-lock", Duration.ofMinutes(1)).orElseThrow();
		assertThat(storeHasLock("ops-lock")).isTrue();
		assertThat(operations().releaseLock("ops-lock", "frank")).isTrue();
		assertThat(storeHasLock("ops-lock")).isFalse();
		assertThat(lock.isHeld()).isFalse();
		ClusterLock next = first().getBean(ClusterCache.class).tryLock("ops-lock", Duration.ofMinutes(1)).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(lock.fencingToken());
		assertThat(output).contains("Operator 'frank' released lock 'ops-lock' held by node '" + id(last())
				+ "' (fencing token " + lock.fencingToken() + ")");
		next.unlock();
		assertThat(operations().releaseLock("ops-lock", "frank")).isFalse();
	}

	@Test
	void disconnectClosesTheClientOnItsNodeAndTheDirectoryForgetsIt(CapturedOutput output) {
		TestClient client = this.clients.get(0);
		String nodeId = id(first());
		assertThat(directoryHas(client.id(), nodeId)).isTrue();
		ClusterOperations fromLast = last().getBean(ClusterOperations.class);
		assertThat(fromLast.disconnect(client.id(), "grace")).isTrue();
		client.await((frame) -> frame.path("event").stringValue("").equals("disconnect"));
		await().atMost(WAIT).until(() -> !client.isOpen());
		await().atMost(WAIT).until(() -> !directoryHas(client.id(), nodeId));
		assertThat(output)
			.contains("Operator 'grace' disconnected connection '" + client.id() + "' on node '" + nodeId + "'");
		assertThat(fromLast.disconnect(client.id(), "grace")).isFalse();
	}

	@Test
	void badJobIdsAreRefusedWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> operations().retryFailed("no-queue", "alice"))
			.withMessageContaining("is not a job id");
	}

	/**
	 * Enqueues a job of {@code ops-flaky}, which fails for good while it is failing.
	 */
	protected String failedJob() {
		String job = tasks().enqueue("ops-flaky", SECRET_ARGS);
		await().atMost(WAIT).until(() -> storeHasFailed(job));
		return job;
	}

	private boolean ticked(RecurringTaskOverview task) {
		return task.lastPeriod() != null && task.leader() != null;
	}

	private long processed() {
		return tasks().stats()
			.stream()
			.filter((stats) -> stats.queue().equals("ops"))
			.mapToLong(QueueStats::processed)
			.sum();
	}

	private static List<JobInfo> running(ClusterOverview overview) {
		return overview.workers().stream().flatMap((worker) -> worker.running().stream()).toList();
	}

	protected ClusterOperations operations() {
		return first().getBean(ClusterOperations.class);
	}

	protected ClusterTasks tasks() {
		return first().getBean(ClusterTasks.class);
	}

	protected ConfigurableApplicationContext first() {
		return this.contexts.get(0);
	}

	protected ConfigurableApplicationContext last() {
		return this.contexts.get(this.contexts.size() - 1);
	}

	protected static String id(ConfigurableApplicationContext node) {
		return node.getBean(ClusterNodes.class).self().id();
	}

}
