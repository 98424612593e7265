package dev.cohort.tasks.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.tasks.local.LocalTaskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recurring schedulers whose store loses its data, as a Redis restarted without
 * persistence does: swapped for an empty one under them. A period that may have run is
 * not run again, whichever scheduler leads after the loss.
 */
class RecurringSchedulerStoreLossTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String QUEUE = "reports";

	private final AtomicReference<TaskStore> current = new AtomicReference<>(new LocalTaskStore());

	private final ClusterClock clock = new ClusterClock();

	private final List<RecurringScheduler> schedulers = new ArrayList<>();

	@AfterEach
	void stopSchedulers() {
		this.schedulers.forEach(RecurringScheduler::stop);
	}

	@Test
	void aNewSchedulerOnAnEmptyStoreRunsTheCurrentPeriod() {
		scheduler(new AtomicInteger()).start();
		await().atMost(WAIT).until(() -> waiting(this.current.get()) == 1);
		assertThat(this.current.get().lastPeriod("hourly", QUEUE))
			.isEqualTo(new TaskStore.RecurringPeriod(currentHour(), QUEUE, true));
	}

	@Test
	void theLeaderDoesNotRunThePeriodAgainAfterItsStoreLostTheMark() {
		scheduler(new AtomicInteger()).start();
		await().atMost(WAIT).until(() -> waiting(this.current.get()) == 1);
		TaskStore empty = restartEmpty();
		await().atMost(WAIT).until(() -> empty.lastPeriod("hourly", QUEUE) != null);
		assertThat(empty.lastPeriod("hourly", QUEUE)).as("marked done, not run")
			.isEqualTo(new TaskStore.RecurringPeriod(currentHour(), QUEUE, true));
		assertThat(waiting(empty)).isZero();
	}

	@Test
	void aSchedulerThatDidNotLeadDoesNotRunThePeriodAgainWhenItLeadsAfterTheLoss() {
		RecurringScheduler first = scheduler(new AtomicInteger());
		first.start();
		await().atMost(WAIT).until(first::isLeader);
		AtomicInteger reads = new AtomicInteger();
		RecurringScheduler second = scheduler(reads);
		second.start();
		await().atMost(WAIT).until(() -> waiting(this.current.get()) == 1);
		// The follower read the mark since the leader enqueued the period.
		int readsAtRun = reads.get();
		await().atMost(WAIT).until(() -> reads.get() > readsAtRun);
		assertThat(second.isLeader()).isFalse();
		first.stop();
		TaskStore empty = restartEmpty();
		await().atMost(WAIT).until(second::isLeader);
		await().atMost(WAIT).until(() -> empty.lastPeriod("hourly", QUEUE) != null);
		assertThat(empty.lastPeriod("hourly", QUEUE))
			.isEqualTo(new TaskStore.RecurringPeriod(currentHour(), QUEUE, true));
		assertThat(waiting(empty)).isZero();
	}

	/**
	 * The store the schedulers use from now on: empty, as Redis after a restart without
	 * persistence.
	 */
	private TaskStore restartEmpty() {
		TaskStore empty = new LocalTaskStore();
		this.current.set(empty);
		return empty;
	}

	/**
	 * A scheduler of an hourly task, on whichever store is current; {@code reads} counts
	 * its reads of the marks.
	 */
	private RecurringScheduler scheduler(AtomicInteger reads) {
		TaskStore store = (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
				new Class<?>[] { TaskStore.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("lastPeriod")) {
						reads.incrementAndGet();
					}
					try {
						return method.invoke(this.current.get(), arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		TaskRegistry registry = new TaskRegistry();
		registry.register(TaskDefinition.builder("hourly", (arguments, job) -> {
		}).queue(QUEUE).frequency(Duration.ofHours(1)).build());
		RecurringScheduler scheduler = new RecurringScheduler(store, registry, "node-" + this.schedulers.size(),
				this.clock, Duration.ofMillis(300), 10);
		this.schedulers.add(scheduler);
		return scheduler;
	}

	private long currentHour() {
		long hour = Duration.ofHours(1).toMillis();
		return Math.floorDiv(this.clock.millis(), hour) * hour;
	}

	private static long waiting(TaskStore store) {
		return store.counts(QUEUE).waiting();
	}

}
