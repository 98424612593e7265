package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link TaskStore} does with leases and job locks, the same in Redis and in
 * memory: the steps a worker takes, driven one by one.
 */
abstract class AbstractTaskStoreContractTests {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

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
	void theSchedulersLeadershipIsHeldByOneExtendedUnderItsFencingTokenAndGivenUp() {
		assertThat(this.store.leader()).isNull();
		long fence = this.store.lead("node-a", "token-a", LONG_LEASE);
		assertThat(fence).isPositive();
		assertThat(this.store.lead("node-b", "token-b", LONG_LEASE)).as("another leads").isZero();
		assertThat(this.store.leader()).satisfies((leader) -> {
			assertThat(leader.nodeId()).isEqualTo("node-a");
			assertThat(leader.fencingToken()).isEqualTo(fence);
			assertThat(leader.remaining()).isPositive().isLessThanOrEqualTo(LONG_LEASE);
		});
		assertThat(this.store.lead("node-a", "token-a", LONG_LEASE)).as("an extension keeps the token")
			.isEqualTo(fence);
		assertThat(this.store.resign("token-b")).isFalse();
		assertThat(this.store.leader()).isNotNull();
		assertThat(this.store.resign("token-a")).isTrue();
		assertThat(this.store.leader()).isNull();
		assertThat(this.store.lead("node-b", "token-b", LONG_LEASE)).isGreaterThan(fence);
		assertThat(this.store.lead("node-a", "token-a", LONG_LEASE)).isZero();
	}

	@Test
	void aLapsedLeadershipGoesToTheNextCallerWithAHigherFencingToken() {
		long fence = this.store.lead("node-a", "token-a", SHORT_LEASE);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.store.leader() == null);
		long next = this.store.lead("node-b", "token-b", LONG_LEASE);
		assertThat(next).isGreaterThan(fence);
		assertThat(this.store.lead("node-a", "token-a", SHORT_LEASE)).as("the lapsed leader does not lead").isZero();
		assertThat(this.store.leader()).extracting(TaskStore.Leader::nodeId).isEqualTo("node-b");
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
	void delayedJobsArePagedSoonestFirstPastAThousand() {
		long base = System.currentTimeMillis() + 3_600_000;
		List<JobRecord> jobs = new java.util.ArrayList<>();
		for (int i = 0; i < 1_005; i++) {
			JobRecord job = job(System.currentTimeMillis());
			jobs.add(job);
			// Due in the reverse order of enqueueing, two by two, so that ties go by id.
			this.store.enqueue(job, base + (1_005 - i) / 2 * 1000L);
		}
		List<TaskStore.DelayedEntry> all = this.store.delayed(QUEUE, 0, -1);
		assertThat(all).hasSize(1_005);
		assertThat(this.store.counts(QUEUE).delayed()).isEqualTo(1_005);
		assertThat(all).isSortedAccordingTo(java.util.Comparator.comparingLong(TaskStore.DelayedEntry::dueAtMillis)
			.thenComparing(TaskStore.DelayedEntry::id));
		assertThat(all).allSatisfy((entry) -> assertThat(entry.job()).isNotNull()
			.satisfies((job) -> assertThat(job.id()).isEqualTo(entry.id())));
		assertThat(all.get(0).dueAtMillis()).isEqualTo(base);
		assertThat(this.store.delayed(QUEUE, 0, 2)).isEqualTo(all.subList(0, 3));
		assertThat(this.store.delayed(QUEUE, 1_000, 1_004)).isEqualTo(all.subList(1_000, 1_005));
		assertThat(this.store.delayed(QUEUE, 1_003, -1)).isEqualTo(all.subList(1_003, 1_005));
		assertThat(this.store.delayed(QUEUE, 1_005, 2_000)).isEmpty();
		assertThat(this.store.delayed("nothing-here", 0, -1)).isEmpty();
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

	@Test
	void aClaimMovesDueDelayedJobsToTheBackOfTheQueueAndLeavesTheOthersDelayed() {
		JobRecord waiting = lockedJob(null);
		this.store.enqueue(waiting, 0);
		JobRecord soon = lockedJob(null);
		this.store.enqueue(soon, System.currentTimeMillis() + 200);
		JobRecord later = lockedJob(null);
		this.store.enqueue(later, System.currentTimeMillis() + 3_600_000);
		assertThat(this.store.counts(QUEUE).delayed()).isEqualTo(2);
		claim(0, LONG_LEASE);
		assertThat(this.store.inspect(QUEUE, 0, -1).waiting()).as("nothing is due yet").containsExactly(waiting.id());
		awaitDue(soon);
		assertThat(claim(0, LONG_LEASE)).isEmpty();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactly(waiting.id(), soon.id());
		assertThat(snapshot.delayed()).containsOnlyKeys(later.id());
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id())
			.containsExactly(waiting.id(), soon.id());
	}

	@Test
	void aClaimMovesAtMostAThousandDueDelayedJobs() {
		// Far enough ahead that all 1,001 are still delayed when stored, even on a
		// busy machine.
		long due = System.currentTimeMillis() + 5000;
		for (int i = 0; i < 1001; i++) {
			this.store.enqueue(lockedJob(null), due);
		}
		assertThat(this.store.counts(QUEUE).delayed()).isEqualTo(1001);
		// Not awaitDue: inspect lists the first 1,000 delayed jobs only, and may leave
		// out
		// the last one, which would end the wait before any is due.
		await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > due);
		claim(0, LONG_LEASE);
		TaskStore.QueueCounts counts = this.store.counts(QUEUE);
		assertThat(counts.waiting()).isEqualTo(1000);
		assertThat(counts.delayed()).isEqualTo(1);
		claim(0, LONG_LEASE);
		assertThat(this.store.counts(QUEUE).waiting()).isEqualTo(1001);
	}

	@Test
	void lapsedLeasesAreTakenBackToTheFrontOfTheQueueLatestDeadlineFirst() {
		List<JobRecord> jobs = List.of(lockedJob(null), lockedJob(null), lockedJob(null));
		jobs.forEach((job) -> this.store.enqueue(job, 0));
		// Three leases with deadlines in the order the jobs were claimed.
		ClaimedJob first = claim(1, SHORT_LEASE).get(0);
		ClaimedJob second = claim(1, SHORT_LEASE.plusMillis(100)).get(0);
		ClaimedJob third = claim(1, SHORT_LEASE.plusMillis(200)).get(0);
		long lastDeadline = System.currentTimeMillis() + SHORT_LEASE.plusMillis(200).toMillis();
		assertThat(List.of(first, second, third)).extracting((claimed) -> claimed.job().id())
			.containsExactlyElementsOf(jobs.stream().map(JobRecord::id).toList());
		// The next wake is now once the first lease lapsed: the last one lapses later.
		await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > lastDeadline + 50);
		awaitLapsed();
		JobRecord waiting = lockedJob(null);
		this.store.enqueue(waiting, 0);
		assertThat(claim(0, LONG_LEASE)).isEmpty();
		TaskStore.QueueCounts counts = this.store.counts(QUEUE);
		assertThat(counts.running()).isZero();
		assertThat(counts.stats()).containsEntry("stalled", 3L);
		assertThat(this.store.inspect(QUEUE, 0, -1).waiting()).as("taken back before the waiting job")
			.containsExactly(jobs.get(2).id(), jobs.get(1).id(), jobs.get(0).id(), waiting.id());
		List<ClaimedJob> again = claim(1, LONG_LEASE);
		assertThat(again).singleElement().satisfies((claimed) -> {
			assertThat(claimed.job().id()).isEqualTo(jobs.get(2).id());
			assertThat(claimed.attempt()).isEqualTo(2);
			assertThat(claimed.fencingToken()).isGreaterThan(third.fencingToken());
		});
	}

	@Test
	void aClaimTakesBackAtMostAHundredLapsedLeases() {
		for (int i = 0; i < 101; i++) {
			this.store.enqueue(lockedJob(null), 0);
		}
		assertThat(claim(101, SHORT_LEASE)).hasSize(101);
		awaitLapsed();
		claim(0, LONG_LEASE);
		TaskStore.QueueCounts counts = this.store.counts(QUEUE);
		assertThat(counts.waiting()).isEqualTo(100);
		assertThat(counts.running()).as("one lease is left for the next claim").isEqualTo(1);
		claim(0, LONG_LEASE);
		assertThat(this.store.counts(QUEUE).waiting()).isEqualTo(101);
		assertThat(this.store.counts(QUEUE).running()).isZero();
	}

	@Test
	void aJobThatStallsMoreThanTheMostStallsFailsWithReasonStalled() {
		List<TaskStore.Stall> stalls = new CopyOnWriteArrayList<>();
		this.store.onStall(stalls::add);
		JobRecord job = lockedJob(null);
		this.store.enqueue(job, 0);
		assertThat(this.store.claim(QUEUE, "node-a", 1, SHORT_LEASE, 1, Duration.ofSeconds(1))).hasSize(1);
		awaitLapsed();
		// One stall is allowed: taken back and taken again by the same claim.
		List<ClaimedJob> again = this.store.claim(QUEUE, "node-b", 1, SHORT_LEASE, 1, Duration.ofSeconds(1));
		assertThat(again).singleElement().satisfies((claimed) -> assertThat(claimed.attempt()).isEqualTo(2));
		awaitLapsed();
		assertThat(this.store.claim(QUEUE, "node-c", 1, LONG_LEASE, 1, Duration.ofSeconds(1))).isEmpty();
		TaskStore.QueueCounts counts = this.store.counts(QUEUE);
		assertThat(counts.failed()).isEqualTo(1);
		assertThat(counts.running()).isZero();
		assertThat(counts.waiting()).isZero();
		assertThat(counts.stats()).containsEntry("stalled", 2L).containsEntry("failed", 1L);
		TaskStore.FailedEntry failed = this.store.failed(QUEUE, 0, -1).get(0);
		assertThat(failed.id()).isEqualTo(job.id());
		assertThat(failed.job()).isEqualTo(job);
		Map<String, Object> failure = MAPPER.readValue(failed.failure(), MAP);
		assertThat(failure).containsEntry("reason", "stalled")
			.containsEntry("node", "node-b")
			.containsEntry("stalls", 2)
			.containsEntry("attempt", 2)
			.containsKey("at");
		assertThat(stalls).as("each stall told once, by the claim that found it")
			.containsExactly(new TaskStore.Stall(QUEUE, job.id(), job.task(), "node-a", 1, false, 1),
					new TaskStore.Stall(QUEUE, job.id(), job.task(), "node-b", 2, true, 2));
	}

	@Test
	void aStallFoundByTheClaimAfterASettleIsToldToo() throws Exception {
		List<TaskStore.Stall> stalls = new CopyOnWriteArrayList<>();
		this.store.onStall(stalls::add);
		JobRecord job = lockedJob(null);
		this.store.enqueue(job, 0);
		assertThat(this.store.claim(QUEUE, "node-a", 1, SHORT_LEASE, 2, Duration.ofSeconds(1))).hasSize(1);
		awaitLapsed();
		TaskStore.Settled settled = this.store
			.settleAllAsync(QUEUE, List.of(),
					new TaskStore.ClaimRequest("node-b", 1, LONG_LEASE, 2, Duration.ofSeconds(1)))
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(settled.claimed()).singleElement()
			.satisfies((claimed) -> assertThat(claimed.job().id()).isEqualTo(job.id()));
		assertThat(stalls).containsExactly(new TaskStore.Stall(QUEUE, job.id(), job.task(), "node-a", 1, false, 1));
	}

	@Test
	void aWorkerWhoseLeaseWasTakenBackSettlesAndRenewsNothing() {
		JobRecord job = lockedJob("only");
		this.store.enqueue(job, 0);
		ClaimedJob stale = claim(1, SHORT_LEASE).get(0);
		awaitLapsed();
		ClaimedJob current = this.store.claim(QUEUE, "node-b", 1, LONG_LEASE, 2, Duration.ofSeconds(1)).get(0);
		assertThat(current.job().id()).isEqualTo(job.id());
		assertThat(current.fencingToken()).isGreaterThan(stale.fencingToken());
		for (Settlement settlement : Settlement.values()) {
			assertThat(this.store.settle(QUEUE, job.id(), stale.lease(), settlement, Duration.ZERO,
					"{\"reason\":\"error\"}"))
				.as(settlement.name())
				.isFalse();
		}
		assertThat(renew(stale)).as("the lease is lost").containsExactly(job.id());
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).containsOnlyKeys(job.id());
		assertThat(snapshot.active().get(job.id())).startsWith("node-b|" + current.fencingToken() + "|")
			.endsWith("|" + current.leaseId());
		assertThat(snapshot.waiting()).isEmpty();
		assertThat(snapshot.delayed()).isEmpty();
		assertThat(snapshot.failed()).isEmpty();
		assertThat(this.store.jobLocks(QUEUE)).containsExactly(Map.entry("only", job.id()));
		assertThat(this.store.counts(QUEUE).stats()).doesNotContainKeys("processed", "failed", "retried");
		assertThat(renew(current)).isEmpty();
		assertThat(settle(current)).isTrue();
		assertThat(this.store.jobLocks(QUEUE)).isEmpty();
		assertThat(this.store.counts(QUEUE).stats()).containsEntry("processed", 1L);
	}

	@Test
	void aRenewalOfALeaseThatWasSettledReportsItLost() {
		JobRecord job = lockedJob(null);
		this.store.enqueue(job, 0);
		ClaimedJob claimed = claim(1, LONG_LEASE).get(0);
		assertThat(settle(claimed)).isTrue();
		assertThat(renew(claimed)).containsExactly(job.id());
		assertThat(settle(claimed)).as("settled once only").isFalse();
		assertThat(this.store.counts(QUEUE).stats()).containsEntry("processed", 1L);
	}

	@Test
	void settlementsRetryFailAndHandBackAJob() {
		for (int i = 0; i < 3; i++) {
			this.store.enqueue(lockedJob(null), 0);
		}
		List<ClaimedJob> claimed = claim(3, LONG_LEASE);
		JobRecord other = lockedJob(null);
		this.store.enqueue(other, 0);
		assertThat(this.store.settle(QUEUE, claimed.get(0).job().id(), claimed.get(0).lease(), Settlement.RETRY,
				Duration.ofMillis(200), null))
			.isTrue();
		assertThat(fail(claimed.get(1))).isTrue();
		assertThat(this.store.settle(QUEUE, claimed.get(2).job().id(), claimed.get(2).lease(), Settlement.HAND_BACK,
				Duration.ZERO, null))
			.isTrue();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).as("handed back to the front")
			.containsExactly(claimed.get(2).job().id(), other.id());
		assertThat(snapshot.delayed()).containsOnlyKeys(claimed.get(0).job().id());
		assertThat(snapshot.failed()).containsOnlyKeys(claimed.get(1).job().id());
		assertThat(snapshot.failed().get(claimed.get(1).job().id())).isEqualTo("{\"reason\":\"error\"}");
		assertThat(snapshot.active()).isEmpty();
		assertThat(snapshot.stats()).containsEntry("retried", 1L).containsEntry("failed", 1L);
		awaitDue(claimed.get(0).job());
		List<ClaimedJob> again = claim(5, LONG_LEASE);
		assertThat(again).extracting((job) -> job.job().id())
			.containsExactly(claimed.get(2).job().id(), other.id(), claimed.get(0).job().id());
		assertThat(again.get(2).failures()).as("the retried job's failures so far").isEqualTo(1);
		assertThat(again.get(2).attempt()).isEqualTo(2);
	}

	@Test
	void aUniqueJobIsNotAddedWhileAnIdenticalOneWaits() {
		JobRecord first = uniqueJob("report");
		assertThat(this.store.enqueue(first, 0)).isEqualTo(first.id());
		assertThat(this.store.enqueue(uniqueJob("report"), 0)).as("the waiting one's id").isEqualTo(first.id());
		assertThat(this.store.enqueue(uniqueJob("report"), System.currentTimeMillis() + 3_600_000))
			.isEqualTo(first.id());
		JobRecord other = uniqueJob("other");
		assertThat(this.store.enqueue(other, 0)).isEqualTo(other.id());
		assertThat(this.store.counts(QUEUE).waiting()).isEqualTo(2);
		// Once taken, it waits no longer: an identical job is added.
		ClaimedJob running = claim(1, LONG_LEASE).get(0);
		assertThat(running.job().id()).isEqualTo(first.id());
		JobRecord second = uniqueJob("report");
		assertThat(this.store.enqueue(second, 0)).isEqualTo(second.id());
		// Once removed, it waits no longer either.
		assertThat(this.store.remove(second.id())).isEqualTo(1);
		JobRecord third = uniqueJob("report");
		assertThat(this.store.enqueue(third, 0)).isEqualTo(third.id());
		assertThat(this.store.inspect(QUEUE, 0, -1).waiting()).containsExactly(other.id(), third.id());
	}

	@Test
	void aJobWhoseJobLockIsHeldWaitsTheLockWaitAndRunsAfterTheHolder() {
		JobRecord holder = lockedJob("account-1");
		JobRecord blocked = lockedJob("account-1");
		JobRecord free = lockedJob("account-2");
		this.store.enqueue(holder, 0);
		ClaimedJob running = claim(1, LONG_LEASE).get(0);
		this.store.enqueue(blocked, 0);
		this.store.enqueue(free, 0);
		long before = System.currentTimeMillis();
		List<ClaimedJob> claimed = this.store.claim(QUEUE, "node-a", 5, LONG_LEASE, 2, Duration.ofMillis(300));
		long after = System.currentTimeMillis();
		assertThat(claimed).extracting((job) -> job.job().id()).containsExactly(free.id());
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).isEmpty();
		assertThat(snapshot.delayed()).containsOnlyKeys(blocked.id());
		assertThat(snapshot.delayed().get(blocked.id())).isBetween(before + 300 - 50, after + 300 + 50);
		assertThat(this.store.jobLocks(QUEUE)).containsOnly(Map.entry("account-1", holder.id()),
				Map.entry("account-2", free.id()));
		awaitDue(blocked);
		assertThat(claim(5, LONG_LEASE)).as("the lock is still held: it waits again").isEmpty();
		assertThat(this.store.counts(QUEUE).delayed()).isEqualTo(1);
		assertThat(settle(running)).isTrue();
		assertThat(this.store.jobLocks(QUEUE)).containsOnlyKeys("account-2");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> claim(5, LONG_LEASE).stream().anyMatch((job) -> job.job().id().equals(blocked.id())));
		assertThat(this.store.jobLocks(QUEUE)).containsEntry("account-1", blocked.id());
	}

	@Test
	void retryFailedPutsAFailedJobAtTheBackWithItsAttemptsCountedAfresh() {
		JobRecord job = lockedJob(null);
		this.store.enqueue(job, 0);
		ClaimedJob claimed = claim(1, LONG_LEASE).get(0);
		assertThat(this.store.retryFailed(job.id())).as("it is running, not failed").isFalse();
		assertThat(this.store.settle(QUEUE, job.id(), claimed.lease(), Settlement.RETRY, Duration.ZERO, null)).isTrue();
		awaitDue(job);
		assertThat(fail(claim(1, LONG_LEASE).get(0))).isTrue();
		JobRecord waiting = lockedJob(null);
		this.store.enqueue(waiting, 0);
		assertThat(this.store.retryFailed(waiting.id())).as("it is waiting, not failed").isFalse();
		assertThat(this.store.retryFailed(job.id())).isTrue();
		assertThat(this.store.retryFailed(job.id())).as("once").isFalse();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactly(waiting.id(), job.id());
		assertThat(snapshot.failed()).isEmpty();
		List<ClaimedJob> again = claim(2, LONG_LEASE);
		assertThat(again.get(1).job().id()).isEqualTo(job.id());
		assertThat(again.get(1).attempt()).isEqualTo(1);
		assertThat(again.get(1).failures()).isZero();
		assertThat(this.store.retryFailed("jobs:absent")).isFalse();
	}

	@Test
	void removeRemovesWaitingDelayedAndFailedJobsButNotARunningOne() {
		JobRecord failing = uniqueJob("w");
		this.store.enqueue(failing, 0);
		JobRecord running = lockedJob("lock");
		JobRecord delayed = lockedJob(null);
		this.store.enqueue(delayed, System.currentTimeMillis() + 3_600_000);
		ClaimedJob claimed = claim(1, LONG_LEASE).get(0);
		this.store.enqueue(running, 0);
		ClaimedJob runningClaim = claim(1, LONG_LEASE).get(0);
		assertThat(runningClaim.job().id()).isEqualTo(running.id());
		assertThat(this.store.remove(running.id())).as("running: cancel it instead").isEqualTo(-1);
		assertThat(fail(claimed)).isTrue();
		assertThat(this.store.remove(failing.id())).as("failed").isEqualTo(1);
		assertThat(this.store.remove(delayed.id())).isEqualTo(1);
		assertThat(this.store.remove(delayed.id())).as("gone").isZero();
		JobRecord queued = lockedJob(null);
		this.store.enqueue(queued, 0);
		assertThat(this.store.remove(queued.id())).isEqualTo(1);
		assertThat(this.store.remove(nextJobId())).isZero();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.jobs()).containsOnlyKeys(running.id());
		assertThat(snapshot.active()).containsOnlyKeys(running.id());
		assertThat(this.store.counts(QUEUE).failed()).isZero();
		assertThat(settle(runningClaim)).isTrue();
	}

	@Test
	void aPausedQueueHandsOutNothingButTakesBackLapsedLeasesAndHandsOutAgainOnceResumed() {
		JobRecord first = lockedJob(null);
		this.store.enqueue(first, 0);
		assertThat(claim(1, SHORT_LEASE)).hasSize(1);
		assertThat(this.store.pause(QUEUE, true)).isTrue();
		assertThat(this.store.pause(QUEUE, true)).as("paused already").isFalse();
		JobRecord second = lockedJob(null);
		this.store.enqueue(second, 0);
		assertThat(this.store.counts(QUEUE).paused()).isTrue();
		assertThat(this.store.nextWakeMillis(QUEUE)).as("a lease lapses, no job is handed out")
			.isBetween(0L, SHORT_LEASE.toMillis());
		awaitLapsed();
		assertThat(claim(5, LONG_LEASE)).isEmpty();
		assertThat(this.store.inspect(QUEUE, 0, -1).waiting()).as("the lapsed job taken back, the new one added")
			.containsExactly(first.id(), second.id());
		assertThat(this.store.nextWakeMillis(QUEUE)).as("nothing to wake for while paused").isEqualTo(-1);
		assertThat(this.store.pause(QUEUE, false)).isTrue();
		assertThat(this.store.pause(QUEUE, false)).as("running already").isFalse();
		assertThat(this.store.counts(QUEUE).paused()).isFalse();
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id())
			.containsExactly(first.id(), second.id());
	}

	@Test
	void aPausedQueueIsListedEvenBeforeItsFirstJob() {
		String queue = "paused-" + UUID.randomUUID();
		assertThat(this.store.pause(queue, true)).isTrue();
		assertThat(this.store.queues()).contains(queue);
		assertThat(this.store.counts(queue).paused()).isTrue();
	}

	@Test
	void deleteQueueDeletesWaitingAndDelayedJobsAndLeavesRunningAndFailedOnes() {
		FailedAndRunning others = failedAndRunning();
		JobRecord failing = others.failed();
		JobRecord running = others.running().job();
		ClaimedJob runningClaim = others.running();
		JobRecord unique = uniqueJob("same");
		this.store.enqueue(unique, 0);
		this.store.enqueue(lockedJob(null), 0);
		this.store.enqueue(lockedJob(null), System.currentTimeMillis() + 3_600_000);
		assertThat(this.store.deleteQueue(QUEUE)).isEqualTo(3);
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.jobs()).containsOnlyKeys(failing.id(), running.id());
		assertThat(snapshot.waiting()).isEmpty();
		assertThat(snapshot.delayed()).isEmpty();
		assertThat(this.store.counts(QUEUE).failed()).isEqualTo(1);
		// The unique job's entry went with it: an identical job is added afresh.
		JobRecord again = uniqueJob("same");
		assertThat(this.store.enqueue(again, 0)).isEqualTo(again.id());
		assertThat(settle(runningClaim)).isTrue();
		assertThat(this.store.deleteQueue(QUEUE)).isEqualTo(1);
	}

	@Test
	void theWaitingJobsOfATaskAreReadInQueueOrderThenDelayedAndRemovedOnlyWhileTheyWait() {
		FailedAndRunning others = failedAndRunning();
		JobRecord failing = others.failed();
		JobRecord running = others.running().job();
		ClaimedJob runningClaim = others.running();
		JobRecord first = lockedJob(null);
		JobRecord other = recurringJob();
		JobRecord second = uniqueJob("u");
		JobRecord third = lockedJob(null);
		JobRecord later = lockedJob(null);
		JobRecord sooner = lockedJob(null);
		long now = System.currentTimeMillis();
		this.store.enqueueAll(QUEUE,
				List.of(new TaskStore.NewJob(first, 0), new TaskStore.NewJob(other, 0), new TaskStore.NewJob(second, 0),
						new TaskStore.NewJob(third, 0), new TaskStore.NewJob(later, now + 7_200_000),
						new TaskStore.NewJob(sooner, now + 3_600_000)));
		assertThat(this.store.waitingJobsOf(QUEUE, "work")).extracting(JobRecord::id)
			.containsExactly(first.id(), second.id(), third.id(), sooner.id(), later.id());
		assertThat(this.store.waitingJobsOf(QUEUE, "wor")).isEmpty();
		assertThat(this.store.removeWaiting(QUEUE,
				List.of(second.id(), sooner.id(), running.id(), failing.id(), QUEUE + ":" + UUID.randomUUID())))
			.as("the running, failed and unknown jobs stay")
			.isEqualTo(2);
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactly(first.id(), other.id(), third.id());
		assertThat(snapshot.delayed()).containsOnlyKeys(later.id());
		assertThat(snapshot.jobs()).doesNotContainKeys(second.id(), sooner.id());
		assertThat(this.store.removeWaiting(QUEUE, List.of())).isZero();
		JobRecord uniqueAgain = uniqueJob("u");
		assertThat(this.store.enqueue(uniqueAgain, 0)).isEqualTo(uniqueAgain.id());
		assertThat(settle(runningClaim)).isTrue();
	}

	@Test
	void aRecurringTaskIsPausedAndResumedInTheStore() {
		assertThat(this.store.pausedRecurring()).isEmpty();
		assertThat(this.store.pauseRecurring("report", true)).isTrue();
		assertThat(this.store.pauseRecurring("report", true)).isFalse();
		assertThat(this.store.pausedRecurring()).containsExactly("report");
		assertThat(this.store.pauseRecurring("report", false)).isTrue();
		assertThat(this.store.pauseRecurring("report", false)).isFalse();
		assertThat(this.store.pausedRecurring()).isEmpty();
	}

	@Test
	void aRecurringTaskIsEnqueuedOncePerPeriod() {
		JobRecord first = recurringJob();
		assertThat(this.store.enqueueRecurring(first, 60_000)).isTrue();
		assertThat(this.store.enqueueRecurring(recurringJob(), 60_000)).isFalse();
		assertThat(this.store.enqueueRecurring(recurringJob(), 0)).as("an earlier period").isFalse();
		JobRecord next = recurringJob();
		assertThat(this.store.enqueueRecurring(next, 120_000)).isTrue();
		assertThat(this.store.inspect(QUEUE, 0, -1).waiting()).containsExactly(first.id(), next.id());
		assertThat(this.store.queues()).contains(QUEUE);
	}

	@Test
	void theNextWakeIsNowWhileJobsWaitElseTheNextDueJobOrLapsingLease() {
		assertThat(this.store.nextWakeMillis(QUEUE)).isEqualTo(-1);
		this.store.enqueue(lockedJob(null), System.currentTimeMillis() + 3_600_000);
		assertThat(this.store.nextWakeMillis(QUEUE)).isBetween(3_500_000L, 3_600_000L);
		this.store.enqueue(lockedJob(null), 0);
		assertThat(this.store.nextWakeMillis(QUEUE)).isZero();
		claim(1, Duration.ofSeconds(60));
		assertThat(this.store.nextWakeMillis(QUEUE)).isBetween(50_000L, 60_000L);
	}

	@Test
	void anEnqueueAllAddsItsJobsInOrderAndReturnsTheirIds() {
		List<JobRecord> jobs = List.of(lockedJob(null), lockedJob(null), lockedJob(null));
		List<String> ids = jobs.stream().map(JobRecord::id).toList();
		assertThat(this.store.enqueueAll(QUEUE, now(jobs))).containsExactlyElementsOf(ids);
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactlyElementsOf(ids);
		assertThat(snapshot.jobs()).containsOnlyKeys(ids);
		assertThat(snapshot.jobs().get(ids.get(1))).isEqualTo(jobs.get(1));
		assertThat(this.store.queues()).contains(QUEUE);
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id()).containsExactlyElementsOf(ids);
		assertThat(this.store.enqueueAll(QUEUE, List.of())).isEmpty();
	}

	@Test
	void anEnqueueAllOfAUniqueJobTwiceAddsItOnceAndNotAtAllWhileAnIdenticalOneWaits() {
		JobRecord waiting = uniqueJob("report");
		this.store.enqueue(waiting, 0);
		JobRecord duplicateOfWaiting = uniqueJob("report");
		JobRecord fresh = uniqueJob("fresh");
		JobRecord freshAgain = uniqueJob("fresh");
		JobRecord plain = lockedJob(null);
		JobRecord freshOnceMore = uniqueJob("fresh");
		assertThat(
				this.store.enqueueAll(QUEUE, now(List.of(duplicateOfWaiting, fresh, freshAgain, plain, freshOnceMore))))
			.containsExactly(waiting.id(), fresh.id(), fresh.id(), plain.id(), fresh.id());
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactly(waiting.id(), fresh.id(), plain.id());
		assertThat(snapshot.jobs()).containsOnlyKeys(waiting.id(), fresh.id(), plain.id());
		assertThat(this.store.counts(QUEUE).waiting()).isEqualTo(3);
		// A unique job delayed in the same call is the same job: added once, delayed.
		JobRecord later = uniqueJob("later");
		JobRecord laterNow = uniqueJob("later");
		assertThat(this.store.enqueueAll(QUEUE,
				List.of(new TaskStore.NewJob(later, System.currentTimeMillis() + 3_600_000),
						new TaskStore.NewJob(laterNow, 0))))
			.containsExactly(later.id(), later.id());
		assertThat(this.store.counts(QUEUE).waiting()).isEqualTo(3);
		assertThat(this.store.inspect(QUEUE, 0, -1).delayed()).containsOnlyKeys(later.id());
	}

	@Test
	void delayedJobsOfAnEnqueueAllAreDueAtTheirTimeAndSetTheNextWake() {
		long now = System.currentTimeMillis();
		JobRecord waiting = lockedJob(null);
		JobRecord later = lockedJob(null);
		JobRecord soon = lockedJob(null);
		JobRecord latest = lockedJob(null);
		assertThat(this.store.enqueueAll(QUEUE,
				List.of(new TaskStore.NewJob(waiting, 0), new TaskStore.NewJob(later, now + 3_600_000),
						new TaskStore.NewJob(soon, now + 1000), new TaskStore.NewJob(latest, now + 7_200_000))))
			.containsExactly(waiting.id(), later.id(), soon.id(), latest.id());
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.waiting()).containsExactly(waiting.id());
		assertThat(snapshot.delayed()).containsOnly(Map.entry(later.id(), now + 3_600_000),
				Map.entry(soon.id(), now + 1000), Map.entry(latest.id(), now + 7_200_000));
		assertThat(this.store.nextWakeMillis(QUEUE)).as("a job waits").isZero();
		ClaimedJob first = claim(5, LONG_LEASE).get(0);
		assertThat(first.job().id()).isEqualTo(waiting.id());
		assertThat(claim(5, LONG_LEASE)).as("nothing else is due yet").isEmpty();
		assertThat(settle(first)).isTrue();
		assertThat(this.store.nextWakeMillis(QUEUE)).as("the soonest delayed job").isBetween(0L, 1000L);
		awaitDue(soon);
		ClaimedJob second = claim(5, LONG_LEASE).get(0);
		assertThat(second.job().id()).isEqualTo(soon.id());
		assertThat(settle(second)).isTrue();
		assertThat(this.store.nextWakeMillis(QUEUE)).isBetween(3_500_000L, 3_600_000L);
		assertThat(this.store.counts(QUEUE).delayed()).isEqualTo(2);
	}

	@Test
	void anEnqueueAllWithAJobOfAnotherQueueIsRefusedAndAddsNothing() {
		String queue = "refused-" + UUID.randomUUID();
		JobRecord mine = new JobRecord(queue + ":" + UUID.randomUUID(), "work", queue, null, System.currentTimeMillis(),
				null, null, null);
		JobRecord foreign = lockedJob(null);
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.enqueueAll(queue,
				List.of(new TaskStore.NewJob(mine, 0), new TaskStore.NewJob(foreign, 0))));
		assertThat(this.store.inspect(queue, 0, -1).jobs()).isEmpty();
		assertThat(this.store.counts(queue).waiting()).isZero();
		assertThat(this.store.inspect(QUEUE, 0, -1).jobs()).isEmpty();
		assertThat(this.store.nextWakeMillis(queue)).isEqualTo(-1);
		assertThat(this.store.queues()).as("no job was enqueued to either queue").doesNotContain(queue, QUEUE);
	}

	@Test
	void aSettleAllAppliesEachEndWhoseLeaseIsTheCallersAndRefusesTheOthers() {
		JobRecord stalled = lockedJob("stalled");
		this.store.enqueue(stalled, 0);
		ClaimedJob stale = claim(1, SHORT_LEASE).get(0);
		awaitLapsed();
		List<JobRecord> jobs = List.of(lockedJob("done"), lockedJob(null), lockedJob(null), lockedJob(null));
		this.store.enqueueAll(QUEUE, now(jobs));
		List<ClaimedJob> claimed = claim(5, LONG_LEASE);
		assertThat(claimed).extracting((job) -> job.job().id())
			.as("the lapsed job is taken back first")
			.containsExactly(stalled.id(), jobs.get(0).id(), jobs.get(1).id(), jobs.get(2).id(), jobs.get(3).id());
		ClaimedJob current = claimed.get(0);
		ClaimedJob done = claimed.get(1);
		ClaimedJob retried = claimed.get(2);
		ClaimedJob failed = claimed.get(3);
		ClaimedJob handedBack = claimed.get(4);
		JobRecord other = lockedJob(null);
		this.store.enqueue(other, 0);
		List<Boolean> settled = this.store.settleAll(QUEUE,
				List.of(end(done, Settlement.DONE), end(stale, Settlement.DONE),
						new TaskStore.Settle(retried.job().id(), retried.lease(), Settlement.RETRY, Duration.ofHours(1),
								null),
						end(failed, Settlement.FAIL), end(handedBack, Settlement.HAND_BACK),
						end(done, Settlement.FAIL)));
		assertThat(settled).containsExactly(true, false, true, true, true, false);
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).as("the stale lease changed nothing").containsOnlyKeys(stalled.id());
		assertThat(snapshot.active().get(stalled.id())).endsWith("|" + current.leaseId());
		assertThat(snapshot.jobs()).as("the done job is gone, once").doesNotContainKey(done.job().id());
		assertThat(snapshot.delayed()).containsOnlyKeys(retried.job().id());
		assertThat(snapshot.failed()).containsOnlyKeys(failed.job().id());
		assertThat(snapshot.failed().get(failed.job().id())).isEqualTo("{\"reason\":\"error\"}");
		assertThat(snapshot.waiting()).as("handed back to the front")
			.containsExactly(handedBack.job().id(), other.id());
		assertThat(snapshot.stats()).containsEntry("processed", 1L)
			.containsEntry("retried", 1L)
			.containsEntry("failed", 1L);
		assertThat(this.store.jobLocks(QUEUE)).as("the done job's lock is released, the current one's kept")
			.containsOnly(Map.entry("stalled", stalled.id()));
		assertThat(this.store.settleAll(QUEUE, List.of(end(current, Settlement.DONE), end(current, Settlement.DONE))))
			.containsExactly(true, false);
		assertThat(this.store.counts(QUEUE).stats()).containsEntry("processed", 2L);
		assertThat(this.store.settleAll(QUEUE, List.of())).isEmpty();
	}

	@Test
	void aSettleAllAsyncWithAClaimTakesTheNextJobsUnderNewLeasesInTheSameStep() throws Exception {
		List<JobRecord> jobs = List.of(lockedJob(null), lockedJob(null), lockedJob(null), lockedJob(null));
		this.store.enqueueAll(QUEUE, now(jobs));
		List<ClaimedJob> running = claim(2, LONG_LEASE);
		long highestToken = running.stream().mapToLong(ClaimedJob::fencingToken).max().getAsLong();
		TaskStore.Settled answer = this.store
			.settleAllAsync(QUEUE,
					List.of(end(running.get(0), Settlement.DONE), end(running.get(1), Settlement.HAND_BACK)),
					new TaskStore.ClaimRequest("node-b", 2, LONG_LEASE, 2, Duration.ofSeconds(1)))
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(answer.settled()).containsExactly(true, true);
		assertThat(answer.claimed()).extracting((claimed) -> claimed.job().id())
			.as("the job handed back, then the next one")
			.containsExactly(jobs.get(1).id(), jobs.get(2).id());
		assertThat(answer.claimed()).allSatisfy((claimed) -> {
			assertThat(claimed.fencingToken()).isGreaterThan(highestToken);
			assertThat(claimed.leaseId()).isNotEqualTo(running.get(0).leaseId());
		});
		assertThat(answer.claimed().get(0).attempt()).isEqualTo(2);
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).containsOnlyKeys(jobs.get(1).id(), jobs.get(2).id());
		assertThat(snapshot.active().get(jobs.get(2).id()))
			.startsWith("node-b|" + answer.claimed().get(1).fencingToken() + "|")
			.endsWith("|" + answer.claimed().get(1).leaseId());
		assertThat(snapshot.waiting()).containsExactly(jobs.get(3).id());
		assertThat(snapshot.stats()).containsEntry("processed", 1L);
		for (ClaimedJob claimed : answer.claimed()) {
			assertThat(renew(claimed)).as("the lease is held").isEmpty();
		}
		assertThat(claim(5, LONG_LEASE)).as("a claim does not take them again")
			.extracting((claimed) -> claimed.job().id())
			.containsExactly(jobs.get(3).id());
		for (ClaimedJob claimed : answer.claimed()) {
			assertThat(settle(claimed)).isTrue();
		}
	}

	@Test
	void aSettleAllAsyncWithoutAClaimTakesNothing() throws Exception {
		List<JobRecord> jobs = List.of(lockedJob(null), lockedJob(null), lockedJob(null), lockedJob(null));
		this.store.enqueueAll(QUEUE, now(jobs));
		List<ClaimedJob> running = claim(2, LONG_LEASE);
		TaskStore.Settled answer = this.store
			.settleAllAsync(QUEUE, List.of(end(running.get(0), Settlement.DONE), end(running.get(0), Settlement.DONE)),
					null)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(answer.settled()).containsExactly(true, false);
		assertThat(answer.claimed()).isEmpty();
		answer = this.store
			.settleAllAsync(QUEUE, List.of(end(running.get(1), Settlement.DONE)),
					new TaskStore.ClaimRequest("node-b", 0, LONG_LEASE, 2, Duration.ofSeconds(1)))
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(answer.settled()).containsExactly(true);
		assertThat(answer.claimed()).as("a claim of no job").isEmpty();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).isEmpty();
		assertThat(snapshot.waiting()).containsExactly(jobs.get(2).id(), jobs.get(3).id());
		assertThat(snapshot.stats()).containsEntry("processed", 2L);
	}

	@Test
	void aClaimOrWaitThatTakesFewerThanAskedTellsTheNextWakeOfAnEmptyOrDelayedQueue() {
		TaskStore.Claimed empty = claimOrWait(2, LONG_LEASE);
		assertThat(empty.jobs()).isEmpty();
		assertThat(empty.nextWakeMillis()).as("nothing waits, is delayed or runs").isEqualTo(-1);
		JobRecord delayed = lockedJob(null);
		this.store.enqueue(delayed, System.currentTimeMillis() + 3_600_000);
		TaskStore.Claimed none = claimOrWait(2, LONG_LEASE);
		assertThat(none.jobs()).isEmpty();
		assertThat(none.nextWakeMillis()).as("until the delayed job is due").isBetween(3_500_000L, 3_600_000L);
	}

	@Test
	void aClaimOrWaitThatTakesAsManyAsAskedTellsNoWaitElseWhenTheFirstLeaseLapses() {
		this.store.enqueue(lockedJob(null), System.currentTimeMillis() + 3_600_000);
		List<JobRecord> jobs = List.of(lockedJob(null), lockedJob(null), lockedJob(null));
		this.store.enqueueAll(QUEUE, now(jobs));
		TaskStore.Claimed full = claimOrWait(2, Duration.ofSeconds(60));
		assertThat(full.jobs()).extracting((claimed) -> claimed.job().id())
			.containsExactly(jobs.get(0).id(), jobs.get(1).id());
		assertThat(full.nextWakeMillis()).as("a job still waits").isZero();
		TaskStore.Claimed last = claimOrWait(2, Duration.ofSeconds(60));
		assertThat(last.jobs()).extracting((claimed) -> claimed.job().id()).containsExactly(jobs.get(2).id());
		assertThat(last.nextWakeMillis()).as("until the first lease lapses, before the delayed job is due")
			.isBetween(50_000L, 60_000L);
		assertThat(this.store.nextWakeMillis(QUEUE)).isBetween(50_000L, 60_000L);
	}

	@Test
	void anEnqueueFromAnotherThreadEndsTheWaitOfAnAwaitThenClaimWhichStartsTheJob() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (TaskStore.WorkWaiter waiter = this.store.waiter()) {
			AtomicReference<Thread> waiting = new AtomicReference<>();
			CompletableFuture<List<ClaimedJob>> started = new CompletableFuture<>();
			long before = System.nanoTime();
			Future<TaskStore.Claimed> taken = executor.submit(() -> {
				waiting.set(Thread.currentThread());
				return this.store.awaitThenClaim(waiter, List.of(QUEUE), QUEUE,
						new TaskStore.AwaitedClaim(Duration.ofSeconds(30),
								new TaskStore.ClaimRequest("node-a", 5, LONG_LEASE, 2, Duration.ofSeconds(1))),
						started::complete, (claimed) -> null);
			});
			// The waiter waits (a wake-up sent before it does would end its wait too).
			await().atMost(Duration.ofSeconds(10))
				.until(() -> waiting.get() != null && waiting.get().getState() == Thread.State.TIMED_WAITING);
			assertThat(started).isNotDone();
			JobRecord job = lockedJob(null);
			this.store.enqueue(job, 0);
			TaskStore.Claimed answer = taken.get(10, TimeUnit.SECONDS);
			assertThat(answer.jobs()).hasSize(1);
			assertThat(answer.nextWakeMillis()).as("fewer than asked: until its lease lapses")
				.isBetween(1L, LONG_LEASE.toMillis());
			assertThat(Duration.ofNanos(System.nanoTime() - before)).as("the enqueue, not the timeout, ended it")
				.isLessThan(Duration.ofSeconds(20));
			List<ClaimedJob> jobs = started.get(10, TimeUnit.SECONDS);
			assertThat(jobs).singleElement().satisfies((claimed) -> {
				assertThat(claimed.job()).isEqualTo(job);
				assertThat(claimed.attempt()).isEqualTo(1);
			});
			assertThat(renew(jobs.get(0))).as("the lease is held").isEmpty();
			assertThat(this.store.inspect(QUEUE, 0, -1).active()).containsOnlyKeys(job.id());
			assertThat(settle(jobs.get(0))).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void anAwaitThenClaimWaitsAgainForAsLongAsItIsAskedAndStartsTheJobsOfEveryRound() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (TaskStore.WorkWaiter waiter = this.store.waiter()) {
			AtomicReference<Thread> waiting = new AtomicReference<>();
			List<ClaimedJob> started = new java.util.concurrent.CopyOnWriteArrayList<>();
			java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
			Future<TaskStore.Claimed> last = executor.submit(() -> {
				waiting.set(Thread.currentThread());
				return this.store.awaitThenClaim(waiter, List.of(QUEUE), QUEUE,
						new TaskStore.AwaitedClaim(Duration.ofSeconds(30),
								new TaskStore.ClaimRequest("node-a", 2, LONG_LEASE, 2, Duration.ofSeconds(1))),
						started::addAll,
						(claimed) -> (rounds.incrementAndGet() == 1)
								? new TaskStore.AwaitedClaim(Duration.ofSeconds(30),
										new TaskStore.ClaimRequest("node-a", 1, LONG_LEASE, 2, Duration.ofSeconds(1)))
								: null);
			});
			await().atMost(Duration.ofSeconds(10))
				.until(() -> waiting.get() != null && waiting.get().getState() == Thread.State.TIMED_WAITING);
			JobRecord first = lockedJob(null);
			this.store.enqueue(first, 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 1);
			assertThat(last).as("the second round waits").isNotDone();
			JobRecord second = lockedJob(null);
			this.store.enqueue(second, 0);
			TaskStore.Claimed claimed = last.get(10, TimeUnit.SECONDS);
			assertThat(claimed.jobs()).extracting((job) -> job.job().id()).containsExactly(second.id());
			assertThat(started).extracting((job) -> job.job().id()).containsExactly(first.id(), second.id());
			assertThat(rounds).hasValue(2);
			assertThat(started).allSatisfy((job) -> assertThat(renew(job)).as("its lease is held").isEmpty());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void anAwaitThenClaimThatTimesOutWithNothingToTakeStartsNoJob() throws Exception {
		try (TaskStore.WorkWaiter waiter = this.store.waiter()) {
			CompletableFuture<List<ClaimedJob>> started = new CompletableFuture<>();
			long before = System.nanoTime();
			TaskStore.Claimed taken = this.store.awaitThenClaim(waiter, List.of(QUEUE), QUEUE,
					new TaskStore.AwaitedClaim(Duration.ofMillis(300),
							new TaskStore.ClaimRequest("node-a", 5, LONG_LEASE, 2, Duration.ofSeconds(1))),
					started::complete, (claimed) -> null);
			assertThat(taken.jobs()).isEmpty();
			assertThat(taken.nextWakeMillis()).as("nothing delayed or running").isEqualTo(-1);
			assertThat(started.get(10, TimeUnit.SECONDS)).as("start gets an empty list").isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - before)).as("it waited the timeout")
				.isGreaterThanOrEqualTo(Duration.ofMillis(250));
		}
	}

	TaskStore.Claimed claimOrWait(int max, Duration lease) {
		return this.store.claimOrWait(QUEUE, "node-a", max, lease, 2, Duration.ofSeconds(1));
	}

	static List<TaskStore.NewJob> now(List<JobRecord> jobs) {
		return jobs.stream().map((job) -> new TaskStore.NewJob(job, 0)).toList();
	}

	static TaskStore.Settle end(ClaimedJob job, Settlement settlement) {
		return new TaskStore.Settle(job.job().id(), job.lease(), settlement, Duration.ZERO,
				(settlement == Settlement.FAIL) ? "{\"reason\":\"error\"}" : null);
	}

	JobRecord job(long enqueuedAt) {
		return new JobRecord(nextJobId(), "work", QUEUE, null, enqueuedAt, null, null, null);
	}

	JobRecord uniqueJob(String unique) {
		return new JobRecord(nextJobId(), "work", QUEUE, null, System.currentTimeMillis(), unique, null, null);
	}

	JobRecord recurringJob() {
		return new JobRecord(nextJobId(), "report", QUEUE, null, System.currentTimeMillis(), null, null, null);
	}

	/**
	 * Waits until a delayed job is due: the next wake is now.
	 */
	void awaitDue(JobRecord job) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Long due = this.store.inspect(QUEUE, 0, -1).delayed().get(job.id());
			return due == null || due <= System.currentTimeMillis();
		});
	}

	boolean fail(ClaimedJob job) {
		return this.store.settle(QUEUE, job.job().id(), job.lease(), Settlement.FAIL, Duration.ZERO,
				"{\"reason\":\"error\"}");
	}

	static long minuteNow() {
		return Math.floorDiv(System.currentTimeMillis(), 60_000L);
	}

	JobRecord lockedJob(String lock) {
		return new JobRecord(nextJobId(), "work", QUEUE, null, System.currentTimeMillis(), null, lock, null);
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

	/**
	 * A failed job and a running one, which the operations on waiting jobs must leave
	 * alone.
	 */
	FailedAndRunning failedAndRunning() {
		JobRecord failing = lockedJob(null);
		this.store.enqueue(failing, 0);
		assertThat(fail(claim(1, LONG_LEASE).get(0))).isTrue();
		this.store.enqueue(lockedJob(null), 0);
		return new FailedAndRunning(failing, claim(1, LONG_LEASE).get(0));
	}

	record FailedAndRunning(JobRecord failed, ClaimedJob running) {
	}

	/** A job id as the engine makes them: {@code <queue>:<random>}. */
	private static String nextJobId() {
		return QUEUE + ":" + UUID.randomUUID();
	}

}
