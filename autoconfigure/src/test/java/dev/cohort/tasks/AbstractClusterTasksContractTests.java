package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.JobEventLog;
import dev.cohort.testapp.RecurringTicks;
import dev.cohort.testapp.TaskEndpoints.Run;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TaskMiddlewareLog;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What the task queue does on one node, the same on every transport. One node with the
 * default settings serves the tests that need no other (starting a node per test was most
 * of the suite's time): each test sees that node's records emptied, its counters from the
 * test's start, and leaves no delayed or failed job behind. A test that needs other
 * settings, or a queue no other test has touched, starts a node of its own, closed after
 * it.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterTasksContractTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private TestNodes shared;

	private ConfigurableApplicationContext sharedNode;

	private TestNodes own;

	private ConfigurableApplicationContext node;

	private ClusterTasks tasks;

	private TaskEndpoints endpoints;

	/**
	 * The counters of each queue when the test began.
	 */
	private final Map<String, QueueStats> atStart = new HashMap<>();

	protected abstract TestNodes nodes();

	@BeforeAll
	void startSharedNode() {
		this.shared = nodes();
		this.sharedNode = this.shared.start();
	}

	@BeforeEach
	void useSharedNode() {
		this.own = nodes();
		use(this.sharedNode);
	}

	/**
	 * Starts a node of the test's own, with these settings, and uses it.
	 */
	private void start(String... properties) {
		use(this.own.start(properties));
	}

	private void use(ConfigurableApplicationContext node) {
		this.node = node;
		this.tasks = node.getBean(ClusterTasks.class);
		this.endpoints = node.getBean(TaskEndpoints.class);
		this.endpoints.runs.clear();
		this.endpoints.mostAtOnce.clear();
		this.endpoints.release = new CountDownLatch(1);
		this.atStart.clear();
		this.tasks.stats().forEach((queue) -> this.atStart.put(queue.queue(), queue));
	}

	@AfterEach
	void closeOwnNodeAndEmptySharedOne() {
		this.endpoints.release.countDown();
		this.own.close();
		ClusterTasks shared = this.sharedNode.getBean(ClusterTasks.class);
		for (QueueStats queue : shared.stats()) {
			shared.delayed(queue.queue()).forEach((job) -> shared.delete(job.id()));
			shared.deleteAllFailed(queue.queue());
		}
	}

	@AfterAll
	void closeSharedNode() {
		this.shared.close();
	}

	@Test
	void aJobRunsOnceWithItsArguments() {
		String id = this.tasks.enqueue("record", new Greeting("hi", 1));
		assertThat(id).startsWith("default:");
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 1);
		Run run = this.endpoints.runs.peek();
		assertThat(run.jobId()).isEqualTo(id);
		assertThat(run.attempt()).isEqualTo(1);
		assertThat(run.greeting()).isEqualTo(new Greeting("hi", 1));
		await().atMost(WAIT).until(() -> stats("default").processed() == 1);
		assertThat(stats("default").waiting()).isZero();
		assertThat(stats("default").running()).isZero();
		assertThat(this.tasks.stats()).extracting(QueueStats::queue).containsExactly("default");
	}

	@Test
	void theWorkerPublishesJobEventsAndGoesOnWhenAListenerFails() {
		start();
		String self = this.node.getBean(ClusterNodes.class).self().id();
		JobEventLog log = this.node.getBean(JobEventLog.class);
		log.failOn = "record";
		String done = this.tasks.enqueue("record", new Greeting("hi", 1));
		// Its end is published once the store answered, which may be after the count.
		await().atMost(WAIT).until(() -> log.events.stream().anyMatch(JobDoneEvent.class::isInstance));
		String failed = this.tasks.enqueue("always-fails", Map.of("secret", "hunter2", "name", "ann"));
		await().atMost(WAIT).until(() -> log.events.stream().anyMatch(JobFailedEvent.class::isInstance));
		assertThat(List.copyOf(log.events)).containsExactly(new JobStartedEvent(done, "record", "default", 1, self),
				log.events.stream().filter(JobDoneEvent.class::isInstance).findFirst().orElseThrow(),
				new JobStartedEvent(failed, "always-fails", "default", 1, self),
				new JobStartedEvent(failed, "always-fails", "default", 2, self),
				log.events.stream().filter(JobFailedEvent.class::isInstance).findFirst().orElseThrow());
		assertThat(log.events).filteredOn(JobDoneEvent.class::isInstance)
			.singleElement()
			.isInstanceOfSatisfying(JobDoneEvent.class, (event) -> {
				assertThat(event.jobId()).isEqualTo(done);
				assertThat(event.attempt()).isEqualTo(1);
				assertThat(event.node()).isEqualTo(self);
				assertThat(event.duration()).isPositive();
			});
		assertThat(log.events).filteredOn(JobFailedEvent.class::isInstance)
			.singleElement()
			.isInstanceOfSatisfying(JobFailedEvent.class, (event) -> {
				assertThat(event.jobId()).isEqualTo(failed);
				assertThat(event.attempt()).isEqualTo(2);
				assertThat(event.reason()).isEqualTo("error");
				assertThat(event.error()).contains("IllegalStateException", "boom");
				assertThat(event.toString()).doesNotContain("hunter2");
			});
		assertThat(this.endpoints.runs).extracting(Run::jobId).contains(done);
	}

	@Test
	void badArgumentsFailTheCallerAndNothingIsEnqueued() {
		long before = stats("default").waiting() + stats("default").delayed();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.enqueue("record", Map.of("text", "hi", "number", "many")))
			.withMessageContaining("task 'record'")
			.withMessageContaining(Greeting.class.getName())
			.withMessageContaining("nothing was enqueued");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.enqueueIn(Duration.ofHours(1), "record", new Greeting("hi", -1)))
			.withMessageContaining("number must not be negative");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.enqueueAll(List.of(JobRequest.of("record", new Greeting("ok", 1)),
					JobRequest.of("record", Map.of("text", "hi", "number", -2)))))
			.withMessageContaining("number must not be negative");
		assertThat(stats("default").waiting() + stats("default").delayed()).isEqualTo(before);
		assertThat(this.endpoints.runs).isEmpty();
		// A map that reads as the argument type is fine, as the typed argument is.
		String id = this.tasks.enqueue("record", Map.of("text", "map", "number", 3));
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 1);
		assertThat(this.endpoints.runs.peek().jobId()).isEqualTo(id);
		assertThat(this.endpoints.runs.peek().greeting()).isEqualTo(new Greeting("map", 3));
	}

	@Test
	void delayedJobsArePagedSoonestFirst() {
		Instant now = Instant.now();
		String later = this.tasks.enqueueAt(now.plusSeconds(7200), "record", new Greeting("later", 2));
		String sooner = this.tasks.enqueueAt(now.plusSeconds(3600), "record", new Greeting("sooner", 1));
		assertThat(this.tasks.delayed("default", 0, 0)).extracting(JobInfo::id).containsExactly(sooner);
		assertThat(this.tasks.delayed("default", 1, -1)).extracting(JobInfo::id).containsExactly(later);
		assertThat(this.tasks.delayed("default", 2, 9)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.delayed("default", -1, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.delayed("default", 0, -2));
	}

	@Test
	void delayedJobsWaitForTheirTimeThenRun() {
		Instant enqueued = Instant.now();
		String in = this.tasks.enqueueIn(Duration.ofMillis(500), "record", new Greeting("in", 1));
		String at = this.tasks.enqueueAt(enqueued.plusSeconds(3600), "record", new Greeting("at", 2));
		assertThat(this.tasks.delayed("default")).extracting(JobInfo::id).contains(in, at);
		assertThat(this.tasks.delayed("default")).filteredOn((job) -> job.id().equals(at))
			.singleElement()
			.satisfies((job) -> {
				assertThat(job.state()).isEqualTo(JobInfo.State.DELAYED);
				assertThat(job.dueAt()).isEqualTo(enqueued.plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS));
			});
		assertThat(this.tasks.scheduledAt("record", new Greeting("at", 2))).hasSize(1);
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 1);
		assertThat(Duration.between(enqueued, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(450));
		assertThat(this.endpoints.runs.peek().jobId()).isEqualTo(in);
		assertThat(this.tasks.delete(at)).isTrue();
		assertThat(this.tasks.delayed("default")).isEmpty();
		assertThat(this.tasks.scheduledAt("record", new Greeting("at", 2))).isEmpty();
	}

	@Test
	void aFailingJobIsRetriedWithBackoffUntilItSucceeds() {
		String id = this.tasks.enqueue("fail-twice", new Greeting("retry", 1));
		await().atMost(WAIT).until(() -> stats("default").processed() == 1);
		assertThat(this.endpoints.runs).extracting(Run::jobId).containsOnly(id);
		assertThat(this.endpoints.runs).extracting(Run::attempt).containsExactly(1, 2, 3);
		assertThat(stats("default").retries()).isEqualTo(2);
		assertThat(this.tasks.failed("default")).isEmpty();
	}

	@Test
	void aJobThatKeepsFailingJoinsTheFailedJobsWithItsDetailsAndCanBeRetried() {
		String self = this.node.getBean(ClusterNodes.class).self().id();
		String id = this.tasks.enqueue("always-fails", Map.of("secret", "hunter2", "name", "ann"));
		await().atMost(WAIT).until(() -> this.tasks.failed("default").size() == 1);
		FailedJob failed = this.tasks.failed("default").get(0);
		assertThat(failed.id()).isEqualTo(id);
		assertThat(failed.task()).isEqualTo("always-fails");
		assertThat(failed.reason()).isEqualTo("error");
		assertThat(failed.attempts()).isEqualTo(2);
		assertThat(failed.node()).isEqualTo(self);
		assertThat(failed.exception()).isEqualTo(IllegalStateException.class.getName());
		assertThat(failed.message()).isEqualTo("boom");
		assertThat(failed.stackTrace()).contains("alwaysFails");
		assertThat(failed.args()).contains("\"name\":\"ann\"").contains("***").doesNotContain("hunter2");
		assertThat(stats("default").failures()).isEqualTo(1);
		assertThat(this.tasks.retryFailed(id)).isTrue();
		await().atMost(WAIT).until(() -> stats("default").failures() == 2);
		assertThat(this.tasks.failed("default")).singleElement()
			.satisfies((job) -> assertThat(job.attempts()).isEqualTo(2));
		assertThat(this.tasks.retryAllFailed("default")).isEqualTo(1);
		await().atMost(WAIT).until(() -> stats("default").failures() == 3);
		assertThat(this.tasks.delete(id)).isTrue();
		assertThat(this.tasks.failed("default")).isEmpty();
	}

	@Test
	void failedJobsArePagedCountedPerMinuteAndDeletedAllAtOnce() {
		// A node of its own: the history counts every job of the queue.
		start();
		ClusterClock clock = this.node.getBean(ClusterClock.class);
		Instant before = Instant.ofEpochMilli(clock.millis()).truncatedTo(ChronoUnit.MINUTES);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(this.tasks.enqueue("always-fails", Map.of("secret", "hunter2", "name", "job-" + i)));
		}
		this.tasks.enqueue("record", new Greeting("done", 1));
		await().atMost(WAIT).until(() -> stats("default").failed() == 3 && stats("default").processed() == 1);
		Instant after = Instant.ofEpochMilli(clock.millis()).truncatedTo(ChronoUnit.MINUTES);

		QueueHistory history = this.tasks.history("default", Duration.ofMinutes(5));
		assertThat(history.queue()).isEqualTo("default");
		assertThat(history.minutes()).hasSize(5);
		for (int i = 1; i < 5; i++) {
			assertThat(history.minutes().get(i).start())
				.isEqualTo(history.minutes().get(i - 1).start().plus(Duration.ofMinutes(1)));
		}
		assertThat(history.minutes().get(4).start()).as("the current minute comes last")
			.isBetween(after, after.plusSeconds(60));
		assertThat(history.minutes()).filteredOn((minute) -> minute.done() + minute.failed() > 0)
			.isNotEmpty()
			.allSatisfy((minute) -> assertThat(minute.start()).isBetween(before, after));
		assertThat(history.minutes().stream().mapToLong(QueueHistory.Minute::done).sum()).isEqualTo(1);
		assertThat(history.minutes().stream().mapToLong(QueueHistory.Minute::failed).sum())
			.as("jobs failed for good, not retried attempts")
			.isEqualTo(3);
		assertThat(this.tasks.history("default", Duration.ofDays(1)).minutes()).hasSize(1440);
		assertThat(this.tasks.history("default", Duration.ofSeconds(90)).minutes()).hasSize(2);
		assertThat(this.tasks.history("default", Duration.ofMillis(1)).minutes()).hasSize(1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.history("default", Duration.ofHours(25)))
			.withMessageContaining("at most a day");

		List<FailedJob> all = this.tasks.failed("default", 0, -1);
		assertThat(all).extracting(FailedJob::id).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(all).allSatisfy((job) -> assertThat(job.args()).contains("***").doesNotContain("hunter2"));
		assertThat(this.tasks.failed("default", 0, 1)).extracting(FailedJob::id)
			.containsExactly(all.get(0).id(), all.get(1).id());
		assertThat(this.tasks.failed("default", 2, 9)).extracting(FailedJob::id).containsExactly(all.get(2).id());
		assertThat(this.tasks.failed("default", 3, 9)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.failed("default", -1, 2));

		assertThat(this.tasks.deleteAllFailed("default")).isEqualTo(3);
		assertThat(this.tasks.failed("default")).isEmpty();
		assertThat(stats("default").failed()).isZero();
		assertThat(stats("default").failures()).as("the counter of failures since the queue began").isEqualTo(3);
		assertThat(this.tasks.delete(ids.get(0))).isFalse();
		assertThat(this.tasks.deleteAllFailed("default")).isZero();
	}

	@Test
	void statsTellHowLongTheNextJobHasWaited() {
		// This node drains 'high' only: jobs of 'default' wait.
		start("cluster.tasks.queues=high");
		this.tasks.enqueue("record-high", new Greeting("high", 1));
		await().atMost(WAIT).until(() -> stats("high").processed() == 1);
		assertThat(stats("high").oldestWaitingAge()).as("no job waits").isNull();
		this.tasks.enqueue("record", new Greeting("first", 1));
		this.tasks.enqueue("record", new Greeting("second", 2));
		assertThat(stats("default").waiting()).isEqualTo(2);
		assertThat(stats("default").oldestWaitingAge()).isNotNull().isLessThan(WAIT);
		await().atMost(WAIT).until(() -> stats("default").oldestWaitingAge().compareTo(Duration.ofMillis(300)) >= 0);
	}

	@Test
	void unknownTasksAndUnreadableArgumentsFailAtOnce() {
		String unknown = this.tasks.enqueue("no-such-task", null);
		// Past the checks at enqueue, as a node that does not define the task (or an
		// older
		// version) would enqueue it: the worker fails it.
		String unreadable = this.node.getBean(TaskStore.class)
			.enqueue(new JobRecord("default:" + UUID.randomUUID(), "record", "default", "[\"not\",\"a\",\"greeting\"]",
					System.currentTimeMillis(), null, null, null), 0);
		await().atMost(WAIT).until(() -> this.tasks.failed("default").size() == 2);
		assertThat(this.tasks.failed("default")).extracting(FailedJob::id, FailedJob::reason)
			.containsExactlyInAnyOrder(tuple(unknown, "unknown-task"), tuple(unreadable, "bad-arguments"));
	}

	@Test
	void aJobThatRunsTooLongTimesOut() {
		String id = this.tasks.enqueue("slow", null);
		await().atMost(WAIT).until(() -> this.tasks.failed("default").size() == 1);
		assertThat(this.tasks.failed("default").get(0).id()).isEqualTo(id);
		assertThat(this.tasks.failed("default").get(0).reason()).isEqualTo("timeout");
	}

	@Test
	void filteredParametersAndMaskedArgumentsNeverShow() {
		start("cluster.tasks.filtered-parameters=password,token", "cluster.tasks.max-processors=1");
		String self = this.node.getBean(ClusterNodes.class).self().id();
		Map<String, Object> secrets = Map.of("name", "ann", "password", "hunter2", "nested",
				List.of(Map.of("token", "t0k3n")), "secret", "s3cr3t");
		// always-fails takes a map of strings.
		Map<String, Object> flatSecrets = Map.of("name", "ann", "password", "hunter2", "token", "t0k3n", "secret",
				"s3cr3t");
		String running = this.tasks.enqueue("block", secrets);
		await().atMost(WAIT).until(() -> this.endpoints.blocked.get() == 1);
		String waiting = this.tasks.enqueue("block", secrets);
		String delayed = this.tasks.enqueueIn(Duration.ofHours(1), "always-fails", flatSecrets);
		List<JobInfo> shown = new ArrayList<>(this.tasks.workingOn().get(self));
		shown.addAll(this.tasks.queued("default", 0, -1));
		shown.addAll(this.tasks.delayed("default"));
		assertThat(shown).extracting(JobInfo::id).contains(running, waiting, delayed);
		assertThat(shown).filteredOn((job) -> job.args() != null).hasSizeGreaterThanOrEqualTo(3).allSatisfy((job) -> {
			assertThat(job.args()).contains("\"name\":\"ann\"", "\"password\":\"***\"", "\"token\":\"***\"")
				.doesNotContain("hunter2", "t0k3n");
		});
		assertThat(this.tasks.delayed("default")).filteredOn((job) -> job.id().equals(delayed))
			.singleElement()
			.satisfies((job) -> assertThat(job.args()).contains("\"secret\":\"***\"").doesNotContain("s3cr3t"));
		this.endpoints.release.countDown();
		assertThat(this.tasks.delete(delayed)).isTrue();
		this.tasks.enqueue("always-fails", flatSecrets);
		await().atMost(WAIT).until(() -> this.tasks.failed("default").size() == 1);
		assertThat(this.tasks.failed("default").get(0).args()).contains("\"name\":\"ann\"")
			.doesNotContain("hunter2", "t0k3n", "s3cr3t");
	}

	@Test
	void runningJobsAreShownAndCanBeCancelled() {
		String self = this.node.getBean(ClusterNodes.class).self().id();
		String running = this.tasks.enqueue("block", null);
		await().atMost(WAIT).until(() -> this.endpoints.blocked.get() == 1);
		assertThat(this.tasks.workingOn()).containsOnlyKeys(self);
		assertThat(this.tasks.workingOn().get(self)).singleElement().satisfies((job) -> {
			assertThat(job.id()).isEqualTo(running);
			assertThat(job.state()).isEqualTo(JobInfo.State.RUNNING);
			assertThat(job.startedAt()).isNotNull();
		});
		assertThat(stats("default").running()).isEqualTo(1);
		assertThat(this.tasks.delete(running)).isFalse();
		assertThat(this.tasks.cancel(running)).isTrue();
		await().atMost(WAIT).until(() -> this.tasks.failed("default").size() == 1);
		assertThat(this.tasks.failed("default").get(0).reason()).isEqualTo("cancelled");
		assertThat(this.tasks.workingOn()).containsOnlyKeys(self);
		assertThat(this.tasks.workingOn().get(self)).isEmpty();
		String waiting = this.tasks.enqueueIn(Duration.ofHours(1), "record", new Greeting("later", 1));
		assertThat(this.tasks.cancel(waiting)).isTrue();
		assertThat(this.tasks.cancel(waiting)).isFalse();
	}

	@Test
	void queuesAreTakenInPriorityOrderAndListedInOrder() {
		start("cluster.tasks.queues=high,default", "cluster.tasks.max-processors=1");
		this.tasks.enqueue("block", null);
		await().atMost(WAIT).until(() -> this.endpoints.blocked.get() == 1);
		List<String> low = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			low.add(this.tasks.enqueue("record", new Greeting("low", i)));
		}
		List<String> high = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			high.add(this.tasks.enqueue("record-high", new Greeting("high", i)));
		}
		assertThat(this.tasks.queued("default", 0, -1)).extracting(JobInfo::id).containsExactlyElementsOf(low);
		assertThat(this.tasks.queued("default", 1, 1)).extracting(JobInfo::id).containsExactly(low.get(1));
		assertThat(this.tasks.queued("high", 0, -1)).extracting(JobInfo::id).containsExactlyElementsOf(high);
		this.endpoints.release.countDown();
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 6);
		List<String> order = this.endpoints.runs.stream().map(Run::jobId).toList();
		assertThat(order.subList(0, 3)).containsExactlyElementsOf(high);
		assertThat(order.subList(3, 6)).containsExactlyElementsOf(low);
	}

	@Test
	void jobsWithTheSameArgumentsAndAJobLockNeverRunAtOnce() {
		start("cluster.tasks.lock-wait=50ms");
		for (int i = 0; i < 4; i++) {
			this.tasks.enqueue("locked", "same");
			this.tasks.enqueue("locked", "other-" + i);
		}
		await().atMost(WAIT).until(() -> stats("default").processed() == 8);
		assertThat(this.endpoints.mostAtOnce.get("same")).hasValue(1);
		assertThat(this.tasks.locks("default")).isEmpty();
	}

	@Test
	void aUniqueJobIsNotEnqueuedTwiceWhileItWaits() {
		String first = this.tasks.enqueueIn(Duration.ofHours(1), "unique", new Greeting("u", 1));
		assertThat(this.tasks.enqueueIn(Duration.ofHours(1), "unique", new Greeting("u", 1))).isEqualTo(first);
		String other = this.tasks.enqueueIn(Duration.ofHours(1), "unique", new Greeting("u", 2));
		assertThat(other).isNotEqualTo(first);
		assertThat(this.tasks.delete(first)).isTrue();
		assertThat(this.tasks.enqueueIn(Duration.ofHours(1), "unique", new Greeting("u", 1))).isNotEqualTo(first);
	}

	@Test
	void aRecurringTaskRunsOncePerPeriodWithoutGaps() {
		start("test.tasks.recurring=true", "test.tasks.frequency=300ms");
		RecurringTicks ticks = this.node.getBean(RecurringTicks.class);
		await().atMost(WAIT).until(() -> ticks.periods.size() >= 5);
		assertConsecutive(ticks.periods, Duration.ofMillis(300));
	}

	@Test
	void aPeriodRunsOnceWhenItsTaskMovesToAnotherQueue() {
		// This node's worker drains 'default' only: the runs wait where they were
		// enqueued.
		start("cluster.tasks.queues=default");
		RecurringScheduler before = scheduler(store(), hourly("first"), everyTick("control-before"));
		before.start();
		await().atMost(WAIT).until(() -> this.tasks.queued("control-before", 0, -1).size() >= 2);
		before.stop();
		assertThat(hourlyRuns("first")).hasSize(1);
		RecurringScheduler after = scheduler(store(), hourly("second"), everyTick("control-after"));
		after.start();
		await().atMost(WAIT).until(() -> this.tasks.queued("control-after", 0, -1).size() >= 2);
		after.stop();
		assertOncePerPeriod();
	}

	@Test
	void twoLeadersWithTheTaskOnTwoQueuesEnqueueAPeriodOnce() {
		start("cluster.tasks.queues=default");
		// Two schedulers that both lead, as an old and a new leader may for a moment
		// while
		// a deployment changes the task's queue.
		TaskStore store = store();
		TaskStore alsoLeads = new ForwardingTaskStore(store) {

			@Override
			public long lead(String nodeId, String token, Duration lease) {
				return 1;
			}

		};
		RecurringScheduler one = scheduler(store, hourly("first"), everyTick("control-one"));
		RecurringScheduler other = scheduler(alsoLeads, hourly("second"), everyTick("control-other"));
		one.start();
		other.start();
		await().atMost(WAIT)
			.until(() -> this.tasks.queued("control-one", 0, -1).size() >= 2
					&& this.tasks.queued("control-other", 0, -1).size() >= 2);
		one.stop();
		other.stop();
		assertOncePerPeriod();
	}

	@Test
	void aNewLeaderFinishesAPeriodThatALeaderBeganInAnotherQueueAndDiedBeforeEnqueueing() {
		start("cluster.tasks.queues=default");
		long period = Math.floorDiv(this.node.getBean(ClusterClock.class).millis(), 3_600_000L) * 3_600_000L;
		// The old leader, with the task on 'first', marked the period and died.
		this.node.getBean(TaskStore.class).beginPeriod("hourly", period, "first");
		RecurringScheduler next = scheduler(store(), hourly("second"), everyTick("control-next"));
		next.start();
		await().atMost(WAIT).until(() -> this.tasks.queued("control-next", 0, -1).size() >= 2);
		next.stop();
		assertThat(hourlyRuns("first")).containsExactly(Long.toString(period));
		assertThat(hourlyRuns("second")).doesNotContain(Long.toString(period));
		assertOncePerPeriod();
		assertThat(this.node.getBean(TaskStore.class).lastPeriod("hourly", "second")).satisfies(
				(mark) -> assertThat(mark.enqueued() || mark.start() > period).as("the period was finished").isTrue());
	}

	@Test
	void anEnqueueAllReturnsTheIdsInOrderAcrossQueuesAndItsJobsRun() {
		// A node of its own: the queue 'other' would show in the stats of other tests.
		start();
		List<String> ids = this.tasks.enqueueAll(List.of(JobRequest.of("record", new Greeting("first", 1)),
				JobRequest.of("record", new Greeting("second", 2)).queue("other"),
				JobRequest.of("record", new Greeting("third", 3))));
		assertThat(ids).hasSize(3).doesNotHaveDuplicates();
		assertThat(ids.get(0)).startsWith("default:");
		assertThat(ids.get(1)).startsWith("other:");
		assertThat(ids.get(2)).startsWith("default:");
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 3);
		assertThat(this.endpoints.runs).extracting(Run::jobId, Run::greeting)
			.containsExactlyInAnyOrder(tuple(ids.get(0), new Greeting("first", 1)),
					tuple(ids.get(1), new Greeting("second", 2)), tuple(ids.get(2), new Greeting("third", 3)));
		await().atMost(WAIT).until(() -> stats("default").processed() == 2 && stats("other").processed() == 1);
		assertThat(this.tasks.enqueueAll(List.of())).isEmpty();
	}

	@Test
	void anEnqueueAllKeepsTheOrderOfEachQueuesJobs() {
		// This node drains 'high' only: the jobs wait where they were enqueued.
		start("cluster.tasks.queues=high");
		List<String> ids = this.tasks.enqueueAll(List.of(JobRequest.of("record", new Greeting("a", 1)),
				JobRequest.of("record", new Greeting("b", 2)).queue("other"),
				JobRequest.of("record", new Greeting("c", 3)),
				JobRequest.of("record", new Greeting("d", 4)).queue("other"),
				JobRequest.of("record", new Greeting("e", 5)).in(Duration.ofHours(1))));
		assertThat(this.tasks.queued("default", 0, -1)).extracting(JobInfo::id).containsExactly(ids.get(0), ids.get(2));
		assertThat(this.tasks.queued("other", 0, -1)).extracting(JobInfo::id).containsExactly(ids.get(1), ids.get(3));
		assertThat(this.tasks.delayed("default")).extracting(JobInfo::id).containsExactly(ids.get(4));
		assertThat(this.tasks.queued("other", 0, -1)).extracting(JobInfo::args)
			.containsExactly("{\"text\":\"b\",\"number\":2}", "{\"text\":\"d\",\"number\":4}");
	}

	@Test
	void anEnqueueAllOfAUniqueTaskTwiceReturnsTheSameIdForBoth() {
		start("cluster.tasks.queues=high");
		String waiting = this.tasks.enqueueIn(Duration.ofHours(1), "unique", new Greeting("u", 0));
		List<String> ids = this.tasks.enqueueAll(
				List.of(JobRequest.of("unique", new Greeting("u", 1)), JobRequest.of("unique", new Greeting("u", 2)),
						JobRequest.of("unique", new Greeting("u", 1)), JobRequest.of("unique", new Greeting("u", 0))));
		assertThat(ids.get(0)).isNotEqualTo(ids.get(1)).isNotEqualTo(waiting);
		assertThat(ids.get(2)).as("the same job earlier in the call").isEqualTo(ids.get(0));
		assertThat(ids.get(3)).as("the job that waits").isEqualTo(waiting);
		assertThat(this.tasks.queued("default", 0, -1)).extracting(JobInfo::id).containsExactly(ids.get(0), ids.get(1));
		assertThat(this.tasks.delayed("default")).extracting(JobInfo::id).containsExactly(waiting);
	}

	@Test
	void anEnqueueAllWithArgumentsThatCannotBeWrittenAsJsonEnqueuesNothing() {
		// This node drains 'high' only: whatever was enqueued would wait.
		start("cluster.tasks.queues=high");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.enqueueAll(List.of(JobRequest.of("record", new Greeting("first", 1)),
					JobRequest.of("record", new Greeting("second", 2)).queue("other"),
					JobRequest.of("record", new Unwritable()))))
			.withMessageContaining("cannot be written as JSON");
		assertThat(this.tasks.queued("default", 0, -1)).isEmpty();
		assertThat(this.tasks.queued("other", 0, -1)).isEmpty();
		assertThat(this.tasks.stats()).extracting(QueueStats::queue).doesNotContain("default", "other");
		assertThat(stats("default").waiting()).isZero();
		assertThat(stats("other").waiting()).isZero();
		assertThat(this.endpoints.runs).isEmpty();
	}

	/**
	 * Arguments that cannot be written as JSON: a getter throws.
	 */
	public static final class Unwritable {

		public String getText() {
			throw new IllegalStateException("unwritable");
		}

	}

	private void assertOncePerPeriod() {
		List<String> periods = new ArrayList<>();
		periods.addAll(hourlyRuns("first"));
		periods.addAll(hourlyRuns("second"));
		assertThat(periods).isNotEmpty().doesNotHaveDuplicates();
	}

	/**
	 * The periods of the runs of the hourly task waiting in a queue.
	 */
	private List<String> hourlyRuns(String queue) {
		return this.tasks.queued(queue, 0, -1)
			.stream()
			.filter((job) -> job.task().equals("hourly"))
			.map((job) -> job.id().substring(job.id().indexOf('@') + 1))
			.toList();
	}

	private TaskStore store() {
		return this.node.getBean(TaskStore.class);
	}

	private RecurringScheduler scheduler(TaskStore store, TaskDefinition... tasks) {
		TaskRegistry registry = new TaskRegistry();
		for (TaskDefinition task : tasks) {
			registry.register(task);
		}
		return new RecurringScheduler(store, registry, "scheduler-" + UUID.randomUUID(),
				this.node.getBean(ClusterClock.class), Duration.ofMillis(600), 10);
	}

	private static TaskDefinition hourly(String queue) {
		return TaskDefinition.builder("hourly", (arguments, job) -> {
		}).queue(queue).frequency(Duration.ofHours(1)).build();
	}

	/**
	 * A task of its own queue whose runs show that a scheduler went through its tasks.
	 */
	private static TaskDefinition everyTick(String queue) {
		return TaskDefinition.builder(queue, (arguments, job) -> {
		}).queue(queue).frequency(Duration.ofMillis(200)).build();
	}

	static void assertConsecutive(Collection<Instant> periods, Duration frequency) {
		List<Instant> sorted = periods.stream().sorted().toList();
		assertThat(sorted).doesNotHaveDuplicates();
		for (int i = 1; i < sorted.size(); i++) {
			assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).isEqualTo(frequency);
		}
	}

	@Test
	void taskMiddlewareChangesArgumentsAtEnqueueAndWrapsTheRunInItsOrder() {
		TaskMiddlewareLog middleware = middleware();
		String id = this.tasks.enqueue("mw-greet", new Greeting("shout", 1));
		await().atMost(WAIT).until(() -> middleware.hooks.size() == 10);
		assertThat(middleware.runs).containsExactly("SHOUT (wrapped)");
		// A worker may start the job before the enqueue's last hooks ran.
		assertThat(middleware.hooks).filteredOn((hook) -> hook.contains("Enqueue"))
			.containsExactly("first:beforeEnqueue", "second:beforeEnqueue", "first:afterEnqueue",
					"second:afterEnqueue");
		assertThat(middleware.hooks).filteredOn((hook) -> hook.contains("Run"))
			.containsExactly("first:beforeRun", "second:beforeRun", "first:aroundRun", "second:aroundRun",
					"second:afterRun", "first:afterRun");
		assertThat(id).startsWith("default:");
	}

	@Test
	void taskMiddlewareAppliesOnlyToTheTasksItSelects() {
		TaskMiddlewareLog middleware = middleware();
		this.tasks.enqueue("record", new Greeting("shout", 1));
		await().atMost(WAIT).until(() -> this.endpoints.runs.size() == 1);
		assertThat(this.endpoints.runs.peek().greeting()).isEqualTo(new Greeting("shout", 1));
		assertThat(middleware.hooks).isEmpty();
	}

	@Test
	void aRefusalAtEnqueueReachesTheCallerAndNothingIsEnqueued() {
		TaskMiddlewareLog middleware = middleware();
		assertThatExceptionOfType(TaskRefusedException.class)
			.isThrownBy(() -> this.tasks.enqueue("mw-greet", new Greeting("refuse", 1)))
			.withMessage("Greetings 'refuse' are refused");
		// One refused request refuses the whole batch, before any job is stored.
		assertThatExceptionOfType(TaskRefusedException.class).isThrownBy(() -> this.tasks
			.enqueueAll(List.of(JobRequest.of("mw-greet", new Greeting("fine", 1)).in(Duration.ofHours(1)),
					JobRequest.of("mw-greet", new Greeting("refuse", 2)))));
		assertThat(stats("default").waiting()).isZero();
		assertThat(stats("default").delayed()).isZero();
		assertThat(middleware.hooks).doesNotContain("first:afterEnqueue");
	}

	@Test
	void aRefusalAtRunFailsTheJobForGoodAndASkipEndsItAsDoneWithoutRunning() {
		TaskMiddlewareLog middleware = middleware();
		String denied = this.tasks.enqueue("mw-greet", new Greeting("deny", 1));
		this.tasks.enqueue("mw-greet", new Greeting("skip", 2));
		await().atMost(WAIT).until(() -> stats("default").processed() == 1 && stats("default").failed() == 1);
		// Refused: failed at once, though the task has retries left.
		assertThat(this.tasks.failed("default")).singleElement().satisfies((failed) -> {
			assertThat(failed.id()).isEqualTo(denied);
			assertThat(failed.reason()).isEqualTo("refused");
			assertThat(failed.attempts()).isEqualTo(1);
			assertThat(failed.message()).isEqualTo("Greetings 'deny' do not run");
		});
		assertThat(stats("default").retries()).isZero();
		assertThat(middleware.runs).isEmpty();
		assertThat(middleware.hooks).doesNotContain("first:aroundRun", "first:afterRun");
	}

	@Test
	void afterRunSeesWhatTheTaskThrew() {
		TaskMiddlewareLog middleware = middleware();
		this.tasks.enqueue("mw-fails", new Greeting("hi", 1));
		await().atMost(WAIT).until(() -> middleware.hooks.contains("first:afterRun mw-fails fails"));
		assertThat(middleware.hooks).contains("second:afterRun mw-fails fails");
		await().atMost(WAIT).until(() -> stats("default").failed() == 1);
	}

	@Test
	void aPausedQueueRunsNoJobOnAnyNodeUntilResumedAndAStartingNodeSeesItPaused() {
		start();
		assertThat(this.tasks.pauseQueue("default")).isTrue();
		assertThat(this.tasks.pauseQueue("default")).isFalse();
		String waiting = this.tasks.enqueue("record", new Greeting("paused", 1));
		assertThat(stats("default").paused()).isTrue();
		ClusterTasks other = null;
		if (nodesShareTheStore()) {
			// Another worker, started while the queue is paused, takes nothing from it.
			other = this.own.start().getBean(ClusterTasks.class);
			assertThat(other.stats()).filteredOn((queue) -> queue.queue().equals("default"))
				.singleElement()
				.satisfies((queue) -> assertThat(queue.paused()).isTrue());
		}
		// The workers run the jobs of other queues, and pass the paused one by.
		this.tasks.enqueue("record-high", new Greeting("high", 1));
		await().atMost(WAIT).until(() -> stats("high").processed() == 1);
		assertThat(this.tasks.queued("default", 0, -1)).extracting(JobInfo::id).containsExactly(waiting);
		assertThat(stats("default").processed()).isZero();
		assertThat(this.tasks.resumeQueue("default")).isTrue();
		assertThat(this.tasks.resumeQueue("default")).isFalse();
		await().atMost(WAIT).until(() -> stats("default").processed() == 1);
		assertThat(stats("default").paused()).isFalse();
		if (other != null) {
			assertThat(other.stats()).filteredOn((queue) -> queue.queue().equals("default"))
				.singleElement()
				.satisfies((queue) -> assertThat(queue.paused()).isFalse());
		}
	}

	@Test
	void deleteQueueDeletesItsWaitingAndDelayedJobs() {
		start();
		this.tasks.pauseQueue("default");
		this.tasks.enqueue("record", new Greeting("one", 1));
		this.tasks.enqueue("record", new Greeting("two", 2));
		this.tasks.enqueueIn(Duration.ofHours(1), "record", new Greeting("later", 3));
		this.tasks.enqueueIn(Duration.ofHours(1), "record-high", new Greeting("elsewhere", 4));
		assertThat(this.tasks.deleteQueue("default")).isEqualTo(3);
		assertThat(stats("default").waiting()).isZero();
		assertThat(stats("default").delayed()).isZero();
		assertThat(stats("high").delayed()).as("another queue's jobs stay").isOne();
		this.tasks.resumeQueue("default");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.deleteQueue("no spaces"));
	}

	@Test
	void deleteJobsDeletesTheWaitingAndDelayedJobsOfATaskWithTheseArgumentsInAnyPropertyOrder() {
		start();
		this.tasks.pauseQueue("default");
		Map<String, Object> reordered = new LinkedHashMap<>();
		reordered.put("number", 1);
		reordered.put("text", "a");
		this.tasks.enqueue("record", new Greeting("a", 1));
		String other = this.tasks.enqueue("record", new Greeting("b", 1));
		this.tasks.enqueueIn(Duration.ofHours(1), "record", reordered);
		String laterOther = this.tasks.enqueueIn(Duration.ofHours(1), "record", new Greeting("a", 2));
		String otherTask = this.tasks.enqueue("mw-greet", new Greeting("a", 1));
		assertThat(this.tasks.deleteJobs("default", "record", Map.of("text", "a", "number", 1))).isEqualTo(2);
		assertThat(this.tasks.queued("default", 0, -1)).extracting(JobInfo::id).containsExactly(other, otherTask);
		assertThat(this.tasks.delayed("default")).extracting(JobInfo::id).containsExactly(laterOther);
		assertThat(this.tasks.deleteJobs("default", "record", new Greeting("a", 1))).isZero();
		this.tasks.deleteQueue("default");
		this.tasks.resumeQueue("default");
	}

	@Test
	void aPausedRecurringTaskEnqueuesNoRunAndOnResumingSkipsThePeriodsItMissed() {
		start("test.tasks.recurring=true", "test.tasks.frequency=200ms");
		RecurringTicks ticks = this.node.getBean(RecurringTicks.class);
		await().atMost(WAIT).until(() -> ticks.periods.size() >= 2);
		assertThat(this.tasks.pauseRecurring("tick")).isTrue();
		assertThat(this.tasks.pausedRecurring()).containsExactly("tick");
		Instant pausedAt = Instant.now();
		// A run enqueued before the pause may still run; then none does.
		await().atMost(WAIT).until(() -> stats("default").waiting() == 0 && stats("default").running() == 0);
		int runs = ticks.periods.size();
		await().during(Duration.ofMillis(1000)).atMost(WAIT).until(() -> ticks.periods.size() == runs);
		Instant resumedAt = Instant.now();
		assertThat(this.tasks.resumeRecurring("tick")).isTrue();
		assertThat(this.tasks.pausedRecurring()).isEmpty();
		await().atMost(WAIT).until(() -> ticks.periods.size() >= runs + 2);
		List<Instant> afterResume = ticks.periods.stream().skip(runs).toList();
		assertThat(afterResume).as("no period of the pause is caught up")
			.allSatisfy((period) -> assertThat(period).isAfter(resumedAt.minusMillis(400)));
		assertThat(ticks.periods)
			.filteredOn(
					(period) -> period.isAfter(pausedAt.plusMillis(200)) && period.isBefore(resumedAt.minusMillis(200)))
			.isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.pauseRecurring("record"))
			.withMessageContaining("not recurring");
	}

	/**
	 * Whether nodes started by {@link #nodes()} share one task store (not so on the local
	 * transport, where each node is alone).
	 */
	protected boolean nodesShareTheStore() {
		return true;
	}

	private TaskMiddlewareLog middleware() {
		TaskMiddlewareLog middleware = this.node.getBean(TaskMiddlewareLog.class);
		middleware.hooks.clear();
		middleware.runs.clear();
		return middleware;
	}

	/**
	 * A queue's stats, its counters (processed, failures, retries, stalls) from the
	 * test's start.
	 */
	private QueueStats stats(String queue) {
		QueueStats now = this.tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals(queue))
			.findFirst()
			.orElse(new QueueStats(queue, 0, 0, 0, 0, 0, 0, 0, 0, null));
		QueueStats start = this.atStart.getOrDefault(queue, new QueueStats(queue, 0, 0, 0, 0, 0, 0, 0, 0, null));
		return new QueueStats(queue, now.waiting(), now.delayed(), now.running(), now.failed(),
				now.processed() - start.processed(), now.failures() - start.failures(), now.retries() - start.retries(),
				now.stalls() - start.stalls(), now.oldestWaitingAge(), now.paused());
	}

}
