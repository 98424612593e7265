package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user relies on from recurring tasks, the same on every transport: every period
 * runs once, none is missing and none doubled, whichever scheduler leads and whenever the
 * leadership changes; a cron task runs at its fire times; a new leader catches up the
 * periods missed while nobody led, up to {@code cluster.tasks.max-catch-up}, and says
 * when it skipped older ones.
 * <p>
 * The schedulers are built by the test on one node's task store, with a clock the test
 * moves, so that minutes and days of periods pass in milliseconds. Their runs go to
 * queues that the node's worker does not drain, where the test reads which periods were
 * enqueued: a period enqueued once runs once (that is the worker's contract, tested
 * elsewhere).
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractRecurringTasksContractTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/**
	 * Short, so that a leader change takes under a second; not shorter, so that a
	 * scheduler starved of CPU on a busy machine keeps its lease.
	 */
	private static final Duration LEASE = Duration.ofMillis(600);

	/** A Monday, at midnight UTC. */
	private static final Instant T0 = Instant.parse("2030-01-07T00:00:00Z");

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private static final int MAX_CATCH_UP = 3;

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private ClusterTasks tasks;

	private TaskStore store;

	private final List<RecurringScheduler> schedulers = new ArrayList<>();

	private final List<CountDownLatch> pauses = new ArrayList<>();

	/** How often each scheduler asked to lead. */
	private final Map<RecurringScheduler, AtomicInteger> leads = new ConcurrentHashMap<>();

	/** The task's name and queue in this test, unique so tests never share marks. */
	private String name;

	private final AtomicInteger tests = new AtomicInteger();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	protected abstract TestNodes nodes();

	@BeforeAll
	void startNode() {
		this.nodes = nodes();
		// The worker drains 'default' only: the runs wait where the schedulers put them.
		this.node = this.nodes.start("cluster.tasks.queues=default");
		this.tasks = this.node.getBean(ClusterTasks.class);
		this.store = this.node.getBean(TaskStore.class);
	}

	@BeforeEach
	void nameTheTaskAndListenToTheScheduler() {
		this.name = "recurring-" + this.tests.incrementAndGet();
		this.log.list.clear();
		this.log.start();
		schedulerLogger().addAppender(this.log);
	}

	@AfterEach
	void stopSchedulers() {
		this.pauses.forEach(CountDownLatch::countDown);
		this.schedulers.forEach(RecurringScheduler::stop);
		this.schedulers.clear();
		this.leads.clear();
		this.pauses.clear();
		schedulerLogger().detachAppender(this.log);
	}

	@AfterAll
	void closeNode() {
		this.nodes.close();
	}

	@Test
	void aFixedRateTaskRunsEveryPeriodOnceAcrossALeaderThatStops() {
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		TaskDefinition task = everyMinute();
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		awaitRuns(T0);
		assertThat(first.isLeader()).isTrue();
		RecurringScheduler second = scheduler(this.store, clock, task);
		second.start();
		clock.advance(MINUTE);
		awaitRuns(T0, T0.plus(MINUTE));
		first.stop();
		// The periods that start while the leadership changes hands.
		clock.advance(MINUTE);
		await().atMost(WAIT).until(second::isLeader);
		clock.advance(MINUTE);
		awaitRuns(T0, T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2)), T0.plus(MINUTE.multipliedBy(3)));
		clock.advance(MINUTE);
		awaitRuns(T0, T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2)), T0.plus(MINUTE.multipliedBy(3)),
				T0.plus(MINUTE.multipliedBy(4)));
		second.stop();
		assertThat(runs()).containsExactly(T0, T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2)),
				T0.plus(MINUTE.multipliedBy(3)), T0.plus(MINUTE.multipliedBy(4)));
		assertThat(warnings()).as("no period was missed").isEmpty();
	}

	@Test
	void aFixedRateTaskRunsEveryPeriodOnceWhenItsLeaderPausesPastItsLease() {
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		TaskDefinition task = everyMinute();
		// The leader pauses (a long GC, a frozen VM) just before it begins the second
		// period, for longer than its lease.
		Instant second = T0.plus(MINUTE);
		CountDownLatch paused = new CountDownLatch(1);
		CountDownLatch resume = pause();
		AtomicInteger leadsAfterResuming = new AtomicInteger();
		TaskStore pausing = new ForwardingTaskStore(this.store) {

			@Override
			public TaskStore.RecurringPeriod beginPeriod(String task, long periodStart, String queue) {
				if (periodStart == second.toEpochMilli() && paused.getCount() > 0) {
					paused.countDown();
					awaitQuietly(resume);
				}
				return super.beginPeriod(task, periodStart, queue);
			}

			@Override
			public long lead(String nodeId, String token, Duration lease) {
				if (resume.getCount() == 0) {
					leadsAfterResuming.incrementAndGet();
				}
				return super.lead(nodeId, token, lease);
			}

		};
		RecurringScheduler old = scheduler(pausing, clock, task);
		old.start();
		awaitRuns(T0);
		RecurringScheduler next = scheduler(this.store, clock, task);
		next.start();
		clock.advance(MINUTE);
		awaitQuietly(paused);
		await().atMost(WAIT).until(next::isLeader);
		assertThat(old.isLeader()).as("its own clock says its lease lapsed").isFalse();
		awaitRuns(T0, second);
		clock.advance(MINUTE);
		awaitRuns(T0, second, second.plus(MINUTE));
		// The old leader wakes up and goes on with the period it was beginning.
		resume.countDown();
		await().atMost(WAIT).until(() -> leadsAfterResuming.get() >= 2);
		assertThat(old.isLeader()).isFalse();
		assertThat(next.isLeader()).isTrue();
		clock.advance(MINUTE);
		awaitRuns(T0, second, second.plus(MINUTE), second.plus(MINUTE.multipliedBy(2)));
		old.stop();
		next.stop();
		assertThat(runs()).containsExactly(T0, second, second.plus(MINUTE), second.plus(MINUTE.multipliedBy(2)));
	}

	@Test
	void aCronTaskRunsAtItsFireTimes() {
		SettableClusterClock clock = new SettableClusterClock(T0);
		// At 5 and 20 seconds past each minute.
		TaskDefinition task = cron("5,20 * * * * *");
		RecurringScheduler scheduler = scheduler(this.store, clock, task);
		scheduler.start();
		// A cron task that never ran counts its first fire time from when the leader
		// first sees it.
		awaitLeadingRound(scheduler);
		clock.advance(Duration.ofSeconds(4));
		clock.advance(Duration.ofSeconds(1));
		awaitRuns(T0.plusSeconds(5));
		clock.set(T0.plusSeconds(19));
		clock.set(T0.plusSeconds(21));
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20));
		clock.set(T0.plusSeconds(64));
		clock.set(T0.plusSeconds(65));
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65));
		scheduler.stop();
		assertThat(runs()).containsExactly(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65));
	}

	@Test
	void aCronTaskReadsItsFireTimesInItsZone() {
		// 09:30 in Paris on weekdays: 08:30 UTC in January.
		SettableClusterClock clock = new SettableClusterClock(Instant.parse("2030-01-10T12:00:00Z"));
		TaskDefinition task = TaskDefinition.builder(this.name, (arguments, job) -> {
		}).queue(this.name).cron("0 30 9 * * MON-FRI").zone("Europe/Paris").build();
		RecurringScheduler scheduler = scheduler(this.store, clock, task);
		scheduler.start();
		// A cron task that never ran counts its first fire time from when the leader
		// first sees it.
		awaitLeadingRound(scheduler);
		clock.set(Instant.parse("2030-01-11T08:30:00Z"));
		awaitRuns(Instant.parse("2030-01-11T08:30:00Z"));
		// Over the weekend, to Monday.
		clock.set(Instant.parse("2030-01-14T08:30:00Z"));
		awaitRuns(Instant.parse("2030-01-11T08:30:00Z"), Instant.parse("2030-01-14T08:30:00Z"));
		scheduler.stop();
		assertThat(runs()).containsExactly(Instant.parse("2030-01-11T08:30:00Z"),
				Instant.parse("2030-01-14T08:30:00Z"));
	}

	@Test
	void aCronTaskRunsAtEveryFireTimeOnceAcrossALeaderChange() {
		SettableClusterClock clock = new SettableClusterClock(T0);
		TaskDefinition task = cron("5,20 * * * * *");
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		awaitLeadingRound(first);
		RecurringScheduler second = scheduler(this.store, clock, task);
		second.start();
		clock.set(T0.plusSeconds(5));
		awaitRuns(T0.plusSeconds(5));
		clock.set(T0.plusSeconds(20));
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20));
		first.stop();
		// Two fire times pass while the leadership changes hands.
		clock.set(T0.plusSeconds(80));
		await().atMost(WAIT).until(second::isLeader);
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65), T0.plusSeconds(80));
		clock.set(T0.plusSeconds(125));
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65), T0.plusSeconds(80), T0.plusSeconds(125));
		second.stop();
		assertThat(runs()).containsExactly(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65),
				T0.plusSeconds(80), T0.plusSeconds(125));
		assertThat(warnings()).isEmpty();
	}

	@Test
	void aCronTaskOfEverySecondRunsEverySecondOnceAcrossALeaderChangeOnTheClusterClock() {
		// The node's own clock: the periods are the seconds that really pass.
		ClusterClock clock = this.node.getBean(ClusterClock.class);
		TaskDefinition task = cron("* * * * * *");
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		await().atMost(WAIT).until(() -> runs().size() >= 2);
		RecurringScheduler second = scheduler(this.store, clock, task);
		second.start();
		first.stop();
		await().atMost(WAIT).until(second::isLeader);
		int runsAtChange = runs().size();
		await().atMost(WAIT).until(() -> runs().size() >= runsAtChange + 2);
		second.stop();
		List<Instant> runs = runs();
		assertThat(runs).doesNotHaveDuplicates();
		for (int i = 0; i < runs.size(); i++) {
			assertThat(runs.get(i)).isEqualTo(runs.get(0).plusSeconds(i));
		}
	}

	@Test
	void aNewLeaderCatchesUpEveryPeriodMissedWhenNoMoreThanMaxCatchUpWere() {
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		TaskDefinition task = everyMinute();
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		awaitRuns(T0);
		first.stop();
		// Every scheduler is down for three periods.
		clock.advance(MINUTE.multipliedBy(3));
		RecurringScheduler next = scheduler(this.store, clock, task);
		next.start();
		awaitRuns(T0, T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2)), T0.plus(MINUTE.multipliedBy(3)));
		next.stop();
		assertThat(runs()).containsExactly(T0, T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2)),
				T0.plus(MINUTE.multipliedBy(3)));
		assertThat(warnings()).isEmpty();
	}

	@Test
	void aNewLeaderEnqueuesOnlyTheLastMaxCatchUpMissedPeriodsAndSaysSo() {
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		TaskDefinition task = everyMinute();
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		awaitRuns(T0);
		first.stop();
		// Every scheduler is down for five periods.
		clock.advance(MINUTE.multipliedBy(5));
		RecurringScheduler next = scheduler(this.store, clock, task);
		next.start();
		awaitRuns(T0, T0.plus(MINUTE.multipliedBy(3)), T0.plus(MINUTE.multipliedBy(4)),
				T0.plus(MINUTE.multipliedBy(5)));
		clock.advance(MINUTE);
		awaitRuns(T0, T0.plus(MINUTE.multipliedBy(3)), T0.plus(MINUTE.multipliedBy(4)), T0.plus(MINUTE.multipliedBy(5)),
				T0.plus(MINUTE.multipliedBy(6)));
		next.stop();
		assertThat(runs()).as("the two oldest missed periods are skipped")
			.containsExactly(T0, T0.plus(MINUTE.multipliedBy(3)), T0.plus(MINUTE.multipliedBy(4)),
					T0.plus(MINUTE.multipliedBy(5)), T0.plus(MINUTE.multipliedBy(6)));
		assertThat(warnings()).singleElement()
			.asString()
			.contains("Task '" + this.name + "' missed periods while no scheduler led", "only the last 3 run");
	}

	@Test
	void aMarkLeftLongAgoIsCaughtUpToMaxCatchUp() {
		// The last run was enqueued 100 days ago, and no scheduler ran since.
		Instant lastRun = T0.minus(Duration.ofDays(100));
		TaskStore.RecurringPeriod begun = this.store.beginPeriod(this.name, lastRun.toEpochMilli(), this.name);
		this.store.endPeriod(this.name, begun.start(), begun.queue());
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		RecurringScheduler scheduler = scheduler(this.store, clock, everyMinute());
		scheduler.start();
		awaitRuns(T0.minus(MINUTE.multipliedBy(2)), T0.minus(MINUTE), T0);
		scheduler.stop();
		assertThat(runs()).containsExactly(T0.minus(MINUTE.multipliedBy(2)), T0.minus(MINUTE), T0);
		assertThat(warnings()).singleElement().asString().contains("only the last 3 run");
	}

	@Test
	void aCronTaskCatchesUpItsLastMaxCatchUpMissedFireTimes() {
		// At 5 and 20 seconds past each minute; the last run was 10 minutes ago.
		TaskStore.RecurringPeriod begun = this.store.beginPeriod(this.name,
				T0.minus(Duration.ofMinutes(10)).plusSeconds(5).toEpochMilli(), this.name);
		this.store.endPeriod(this.name, begun.start(), begun.queue());
		SettableClusterClock clock = new SettableClusterClock(T0.plusSeconds(30));
		RecurringScheduler scheduler = scheduler(this.store, clock, cron("5,20 * * * * *"));
		scheduler.start();
		awaitRuns(T0.minusSeconds(40), T0.plusSeconds(5), T0.plusSeconds(20));
		clock.set(T0.plusSeconds(65));
		awaitRuns(T0.minusSeconds(40), T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65));
		scheduler.stop();
		assertThat(runs()).containsExactly(T0.minusSeconds(40), T0.plusSeconds(5), T0.plusSeconds(20),
				T0.plusSeconds(65));
		assertThat(warnings()).singleElement().asString().contains("only the last 3 run");
	}

	@Test
	void aCronTaskCatchesUpEveryFireTimeMissedWhenNoMoreThanMaxCatchUpWere() {
		SettableClusterClock clock = new SettableClusterClock(T0);
		TaskDefinition task = cron("5,20 * * * * *");
		RecurringScheduler first = scheduler(this.store, clock, task);
		first.start();
		awaitLeadingRound(first);
		clock.set(T0.plusSeconds(5));
		awaitRuns(T0.plusSeconds(5));
		first.stop();
		// Three fire times pass while no scheduler runs.
		clock.set(T0.plusSeconds(80));
		RecurringScheduler next = scheduler(this.store, clock, task);
		next.start();
		awaitRuns(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65), T0.plusSeconds(80));
		next.stop();
		assertThat(runs()).containsExactly(T0.plusSeconds(5), T0.plusSeconds(20), T0.plusSeconds(65),
				T0.plusSeconds(80));
		assertThat(warnings()).isEmpty();
	}

	private TaskDefinition everyMinute() {
		return TaskDefinition.builder(this.name, (arguments, job) -> {
		}).queue(this.name).frequency(MINUTE).build();
	}

	private TaskDefinition cron(String expression) {
		return TaskDefinition.builder(this.name, (arguments, job) -> {
		}).queue(this.name).cron(expression).build();
	}

	private RecurringScheduler scheduler(TaskStore store, ClusterClock clock, TaskDefinition task) {
		TaskRegistry registry = new TaskRegistry();
		registry.register(task);
		AtomicInteger leads = new AtomicInteger();
		TaskStore counting = new ForwardingTaskStore(store) {

			@Override
			public long lead(String nodeId, String token, Duration lease) {
				leads.incrementAndGet();
				return super.lead(nodeId, token, lease);
			}

		};
		RecurringScheduler scheduler = new RecurringScheduler(counting, registry, "scheduler-" + this.schedulers.size(),
				clock, LEASE, MAX_CATCH_UP);
		this.schedulers.add(scheduler);
		this.leads.put(scheduler, leads);
		return scheduler;
	}

	/**
	 * Waits until the scheduler leads and went through its tasks at least once since the
	 * call: it has begun to lead the next round since.
	 */
	private void awaitLeadingRound(RecurringScheduler scheduler) {
		AtomicInteger leads = this.leads.get(scheduler);
		await().atMost(WAIT).until(scheduler::isLeader);
		int now = leads.get();
		await().atMost(WAIT).until(() -> leads.get() >= now + 2);
		assertThat(scheduler.isLeader()).isTrue();
	}

	/**
	 * A latch that a paused scheduler waits on, released at the latest when the test
	 * ends.
	 */
	private CountDownLatch pause() {
		CountDownLatch latch = new CountDownLatch(1);
		this.pauses.add(latch);
		return latch;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Waits until the task's runs waiting in its queue are these periods.
	 */
	private void awaitRuns(Instant... periods) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(runs()).containsExactly(periods));
	}

	/**
	 * The periods of the task's runs waiting in its queue, in the order they were
	 * enqueued.
	 */
	private List<Instant> runs() {
		return this.tasks.queued(this.name, 0, -1)
			.stream()
			.filter((job) -> job.task().equals(this.name))
			.map((job) -> Instant.ofEpochMilli(Long.parseLong(job.id().substring(job.id().indexOf('@') + 1))))
			.toList();
	}

	private List<String> warnings() {
		return this.log.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(ILoggingEvent::getFormattedMessage)
			.filter((message) -> message.contains("'" + this.name + "'"))
			.toList();
	}

	private static Logger schedulerLogger() {
		return (Logger) LoggerFactory.getLogger(RecurringScheduler.class);
	}

}
