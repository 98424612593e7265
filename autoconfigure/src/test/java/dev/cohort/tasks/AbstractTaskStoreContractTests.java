package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link TaskStore} does with leases and job locks, the same in Redis and in
 * memory: the steps a worker takes, driven one by one.
 */
abstract class AbstractTaskStoreContractTests {

	static final String QUEUE = "jobs";

	static final Duration SHORT_LEASE = Duration.ofMillis(300);

	static final Duration LONG_LEASE = Duration.ofSeconds(30);

	protected TaskStore store;

	protected abstract TaskStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void aLateRenewalTakesItsFreeJobLockAgainSoAnIdenticalJobWaits() {
		JobRecord first = lockedJob("same");
		this.store.enqueue(first, 0);
		ClaimedJob running = claim(1, SHORT_LEASE).get(0);
		// The worker could not renew in time: its lease and its job lock lapsed, and no
		// claim took the job back yet.
		awaitLapsed();
		assertThat(this.store.jobLocks(QUEUE)).isEmpty();
		assertThat(renew(running)).as("a late renewal that nobody overtook keeps the job").isEmpty();
		assertThat(this.store.jobLocks(QUEUE)).containsExactly(Map.entry("same", first.id()));
		this.store.enqueue(lockedJob("same"), 0);
		assertThat(claim(5, LONG_LEASE)).as("an identical job must wait while the first runs").isEmpty();
	}

	@Test
	void aRenewalReportsTheJobLostAndHandsItBackWhenAnotherJobTookItsLock() {
		JobRecord first = lockedJob("same");
		this.store.enqueue(first, 0);
		ClaimedJob running = claim(1, LONG_LEASE).get(0);
		// The lock is gone while the first job runs (here deleted as stale), and an
		// identical job takes it.
		assertThat(this.store.deleteJobLock(QUEUE, "same")).isTrue();
		JobRecord second = lockedJob("same");
		this.store.enqueue(second, 0);
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id()).containsExactly(second.id());
		assertThat(renew(running)).as("the first job's lock is another's: it must stop").containsExactly(first.id());
		assertThat(this.store.jobLocks(QUEUE)).containsExactly(Map.entry("same", second.id()));
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).containsOnlyKeys(second.id());
		assertThat(snapshot.waiting()).as("the first job runs again later").containsExactly(first.id());
		assertThat(settle(running)).isFalse();
	}

	@Test
	void aLeaseIsTheCallersOnlyWithItsFencingTokenAndItsLeaseId() {
		JobRecord job = lockedJob(null);
		this.store.enqueue(job, 0);
		ClaimedJob claimed = claim(1, LONG_LEASE).get(0);
		TaskStore.Lease sameTokenOtherId = new TaskStore.Lease(claimed.fencingToken(), TaskStore.Lease.newId());
		TaskStore.Lease otherTokenSameId = new TaskStore.Lease(claimed.fencingToken() + 1, claimed.leaseId());
		for (TaskStore.Lease other : List.of(sameTokenOtherId, otherTokenSameId)) {
			assertThat(this.store.renew(QUEUE, LONG_LEASE, Map.of(job.id(), other))).containsExactly(job.id());
			assertThat(this.store.settle(QUEUE, job.id(), other, Settlement.DONE, Duration.ZERO, null)).isFalse();
		}
		assertThat(this.store.inspect(QUEUE, 0, -1).active()).containsOnlyKeys(job.id());
		assertThat(this.store.inspect(QUEUE, 0, -1).active().get(job.id())).endsWith("|" + claimed.leaseId());
		assertThat(renew(claimed)).isEmpty();
		assertThat(settle(claimed)).isTrue();
	}

	@Test
	void aRecurringTaskIsMarkedAcrossQueuesAndAPeriodBegunElsewhereIsFinishedThere() {
		assertThat(this.store.lastPeriod("report", "first")).isNull();
		assertThat(this.store.beginPeriod("report", 1000, "first"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", false));
		// A scheduler with the task on another queue gets the period begun in the first.
		assertThat(this.store.beginPeriod("report", 1000, "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", false));
		assertThat(this.store.lastPeriod("report", "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", false));
		this.store.endPeriod("report", 1000, "second");
		assertThat(this.store.lastPeriod("report", "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", false));
		this.store.endPeriod("report", 1000, "first");
		assertThat(this.store.lastPeriod("report", "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", true));
		assertThat(this.store.beginPeriod("report", 500, "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(1000, "first", true));
		assertThat(this.store.beginPeriod("report", 2000, "second"))
			.isEqualTo(new TaskStore.RecurringPeriod(2000, "second", false));
		assertThat(this.store.lastPeriod("other", "second")).isNull();
	}

	JobRecord lockedJob(String lock) {
		return new JobRecord(JobIds.next(QUEUE), "work", QUEUE, null, System.currentTimeMillis(), null, lock, null);
	}

	List<ClaimedJob> claim(int max, Duration lease) {
		return this.store.claim(QUEUE, "node-a", max, lease, 2, Duration.ofSeconds(1));
	}

	List<String> renew(ClaimedJob job) {
		return this.store.renew(QUEUE, LONG_LEASE, Map.of(job.job().id(), job.lease()));
	}

	boolean settle(ClaimedJob job) {
		return this.store.settle(QUEUE, job.job().id(), job.lease(), Settlement.DONE, Duration.ZERO, null);
	}

	/**
	 * Waits until every lease and job lock of the queue lapsed.
	 */
	void awaitLapsed() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.store.jobLocks(QUEUE).isEmpty() && this.store.nextWakeMillis(QUEUE) == 0);
	}

}
