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

	@Test
	void theHistoryCountsJobsDoneAndFailedForGoodInTheMinuteTheyEnded() {
		long before = minuteNow();
		for (int i = 0; i < 4; i++) {
			this.store.enqueue(lockedJob(null), 0);
		}
		List<ClaimedJob> claimed = claim(4, LONG_LEASE);
		assertThat(settle(claimed.get(0))).isTrue();
		assertThat(settle(claimed.get(1))).isTrue();
		assertThat(fail(claimed.get(2))).isTrue();
		// A retry is no failure for good.
		assertThat(this.store.settle(QUEUE, claimed.get(3).job().id(), claimed.get(3).lease(), Settlement.RETRY,
				Duration.ofHours(1), null))
			.isTrue();
		long after = minuteNow();
		TaskStore.History history = this.store.history(QUEUE);
		assertThat(history.minutes()).allSatisfy((minute) -> assertThat(minute.minute()).isBetween(before, after));
		assertThat(history.minutes().stream().mapToLong(TaskStore.History.Minute::done).sum()).isEqualTo(2);
		assertThat(history.minutes().stream().mapToLong(TaskStore.History.Minute::failed).sum()).isEqualTo(1);
		assertThat(Math.floorDiv(history.nowMillis(), 60_000L)).isBetween(before, after + 1);
		assertThat(this.store.history("other").minutes()).isEmpty();
	}

	@Test
	void aJobFailedForStallingTooOftenIsCountedInTheHistoryAsInTheFailedCounter() {
		long before = minuteNow();
		this.store.enqueue(lockedJob(null), 0);
		this.store.claim(QUEUE, "node-a", 1, SHORT_LEASE, 0, Duration.ofSeconds(1));
		awaitLapsed();
		// The next claim takes the lapsed lease back, past the most stalls (0): failed.
		assertThat(this.store.claim(QUEUE, "node-a", 1, LONG_LEASE, 0, Duration.ofSeconds(1))).isEmpty();
		long after = minuteNow();
		assertThat(this.store.counts(QUEUE).stats()).containsEntry("failed", 1L).containsEntry("stalled", 1L);
		assertThat(this.store.history(QUEUE).minutes()).singleElement().satisfies((minute) -> {
			assertThat(minute.minute()).isBetween(before, after);
			assertThat(minute.failed()).isEqualTo(1);
			assertThat(minute.done()).isZero();
		});
	}

	@Test
	void countsTellHowLongTheJobThatRunsNextHasWaited() {
		TaskStore.QueueCounts empty = this.store.counts(QUEUE);
		assertThat(empty.oldestWaitingMillis()).isEqualTo(-1);
		assertThat(empty.waiting()).isZero();
		long now = System.currentTimeMillis();
		this.store.enqueue(job(now - 60_000), 0);
		this.store.enqueue(job(now - 600_000), 0);
		this.store.enqueue(job(now - 6_000_000), now + 3_600_000);
		TaskStore.QueueCounts counts = this.store.counts(QUEUE);
		assertThat(counts.waiting()).isEqualTo(2);
		assertThat(counts.delayed()).isEqualTo(1);
		assertThat(counts.oldestWaitingMillis()).as("the head of the queue's age").isBetween(55_000L, 120_000L);
		ClaimedJob running = claim(1, LONG_LEASE).get(0);
		counts = this.store.counts(QUEUE);
		assertThat(counts.running()).isEqualTo(1);
		assertThat(counts.oldestWaitingMillis()).isBetween(595_000L, 660_000L);
		assertThat(fail(running)).isTrue();
		claim(1, LONG_LEASE);
		counts = this.store.counts(QUEUE);
		assertThat(counts.oldestWaitingMillis()).isEqualTo(-1);
		assertThat(counts.failed()).isEqualTo(1);
		assertThat(counts.stats()).containsEntry("failed", 1L);
	}

	@Test
	void failedJobsArePagedOldestFirstAndDeletedInSteps() {
		List<String> failed = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			JobRecord job = lockedJob(null);
			this.store.enqueue(job, 0);
			assertThat(fail(claim(1, LONG_LEASE).get(0))).isTrue();
			failed.add(job.id());
		}
		List<TaskStore.FailedEntry> all = this.store.failed(QUEUE, 0, -1);
		assertThat(all).extracting(TaskStore.FailedEntry::id).containsExactlyInAnyOrderElementsOf(failed);
		assertThat(all).allSatisfy((entry) -> {
			assertThat(entry.failure()).isEqualTo("{\"reason\":\"error\"}");
			assertThat(entry.job()).isNotNull();
		});
		assertThat(this.store.failed(QUEUE, 0, 1)).isEqualTo(all.subList(0, 2));
		assertThat(this.store.failed(QUEUE, 2, 3)).isEqualTo(all.subList(2, 4));
		assertThat(this.store.failed(QUEUE, 4, 10)).isEqualTo(all.subList(4, 5));
		assertThat(this.store.failed(QUEUE, 5, 10)).isEmpty();
		assertThat(this.store.deleteFailed(QUEUE, 3)).isEqualTo(3);
		assertThat(this.store.failed(QUEUE, 0, -1)).isEqualTo(all.subList(3, 5));
		assertThat(this.store.deleteFailed(QUEUE, 3)).isEqualTo(2);
		assertThat(this.store.deleteFailed(QUEUE, 3)).isZero();
		assertThat(this.store.counts(QUEUE).failed()).isZero();
		for (String id : failed) {
			assertThat(this.store.remove(id)).as("its record is gone").isZero();
		}
	}

	@Test
	void removeFailedRemovesAJobOnlyIfItIsFailed() {
		JobRecord waiting = lockedJob(null);
		this.store.enqueue(waiting, 0);
		JobRecord delayed = lockedJob(null);
		this.store.enqueue(delayed, System.currentTimeMillis() + 3_600_000);
		assertThat(this.store.removeFailed(waiting.id())).isFalse();
		assertThat(this.store.removeFailed(delayed.id())).isFalse();
		ClaimedJob running = claim(1, LONG_LEASE).get(0);
		assertThat(this.store.removeFailed(running.job().id())).isFalse();
		assertThat(fail(running)).isTrue();
		assertThat(this.store.removeFailed(running.job().id())).isTrue();
		assertThat(this.store.removeFailed(running.job().id())).isFalse();
		assertThat(this.store.counts(QUEUE).failed()).isZero();
		assertThat(this.store.inspect(QUEUE, 0, -1).jobs()).containsOnlyKeys(delayed.id());
	}

	JobRecord job(long enqueuedAt) {
		return new JobRecord(JobIds.next(QUEUE), "work", QUEUE, null, enqueuedAt, null, null, null);
	}

	boolean fail(ClaimedJob job) {
		return this.store.settle(QUEUE, job.job().id(), job.lease(), Settlement.FAIL, Duration.ZERO,
				"{\"reason\":\"error\"}");
	}

	static long minuteNow() {
		return Math.floorDiv(System.currentTimeMillis(), 60_000L);
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
