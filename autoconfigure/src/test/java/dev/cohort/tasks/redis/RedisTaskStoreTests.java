package dev.cohort.tasks.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.Settlement;
import dev.cohort.tasks.TaskStore;
import dev.cohort.testapp.SharedRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only the Redis task store can meet: a failover that loses writes, more lapsed
 * leases than one claim takes back, and job JSON that someone with access to Redis
 * corrupted. Each is planted in a real Redis.
 */
class RedisTaskStoreTests {

	private static final String QUEUE = "jobs";

	private static final Duration SHORT_LEASE = Duration.ofMillis(300);

	private static final Duration LONG_LEASE = Duration.ofSeconds(30);

	@RegisterExtension
	static final SharedRedisConnection sharedRedis = new SharedRedisConnection();

	private ClusterKeys keys;

	private StringRedisTemplate redis;

	private RedisTaskStore store;

	@BeforeEach
	void setUp() {
		this.keys = new ClusterKeys("store-" + UUID.randomUUID(), "unused");
		this.redis = new StringRedisTemplate(sharedRedis.factory());
		this.store = new RedisTaskStore(this.redis, this.keys, new BlockingRedis(sharedRedis.factory()));
	}

	@Test
	void aLeaseLapsedAmongMoreThanOneClaimTakesBackCannotRenewIntoALockAnotherJobTook() {
		for (int i = 0; i < 100; i++) {
			this.store.enqueue(job(null), 0);
		}
		// Its id sorts after the others', so its lease, with the same deadline, is taken
		// back last.
		JobRecord first = new JobRecord(QUEUE + ":~" + UUID.randomUUID(), "work", QUEUE, null, 0, null, "same", null);
		this.store.enqueue(first, 0);
		List<ClaimedJob> claimed = claim(101, SHORT_LEASE);
		ClaimedJob running = claimed.get(100);
		assertThat(running.job().id()).isEqualTo(first.id());
		awaitLapsed();
		// One claim takes back at most 100 lapsed leases: the first job's is left, and
		// its
		// lock is free for an identical job.
		JobRecord second = job("same");
		this.store.enqueue(second, 0);
		assertThat(claim(200, LONG_LEASE)).extracting((taken) -> taken.job().id()).contains(second.id());
		assertThat(this.store.renew(QUEUE, LONG_LEASE, leaseOf(running)))
			.as("the lock is the second job's: the first must stop")
			.containsExactly(first.id());
		assertThat(this.store.jobLocks(QUEUE)).containsExactly(Map.entry("same", second.id()));
	}

	@Test
	void aFencingTokenHandedOutTwiceDoesNotLetTheStaleWorkerSettleOrRenew() {
		JobRecord job = job(null);
		this.store.enqueue(job, 0);
		ClaimedJob stale = claim(1, SHORT_LEASE).get(0);
		awaitLapsed();
		// A failover lost the claim's INCR of the fencing counter: the next claim hands
		// out the same token again.
		this.redis.opsForValue().decrement(key("fence"));
		ClaimedJob current = claim(1, LONG_LEASE).get(0);
		assertThat(current.job().id()).isEqualTo(job.id());
		assertThat(current.fencingToken()).isEqualTo(stale.fencingToken());
		assertThat(this.store.renew(QUEUE, LONG_LEASE, leaseOf(stale))).containsExactly(job.id());
		assertThat(settle(stale, Settlement.FAIL)).isFalse();
		assertThat(this.store.inspect(QUEUE, 0, -1).failedCount()).isZero();
		assertThat(this.store.renew(QUEUE, LONG_LEASE, leaseOf(current))).isEmpty();
		assertThat(settle(current, Settlement.DONE)).isTrue();
	}

	@Test
	void aJobWhoseJsonDoesNotMapFailsAloneAndTheRestOfItsBatchIsTaken() {
		JobRecord before = job(null);
		this.store.enqueue(before, 0);
		String corrupt = plant("{\"id\":\"x\",\"task\":\"work\",\"queue\":\"jobs\",\"enqueuedAt\":\"soon\"}");
		JobRecord after = job(null);
		this.store.enqueue(after, 0);
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id())
			.containsExactly(before.id(), after.id());
		assertFailedAsCorrupt(corrupt);
	}

	@Test
	void aJobWhoseJsonDoesNotParseFailsAloneAndTheRestOfItsBatchIsTaken() {
		JobRecord before = job(null);
		this.store.enqueue(before, 0);
		String corrupt = plant("{not json");
		String notAnObject = plant("42");
		JobRecord after = job(null);
		this.store.enqueue(after, 0);
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id())
			.containsExactly(before.id(), after.id());
		assertFailedAsCorrupt(corrupt, notAnObject);
	}

	@Test
	void aLapsedJobWhoseJsonWasCorruptedFailsWhenTakenBackInsteadOfBeingLost() {
		JobRecord job = job("same");
		this.store.enqueue(job, 0);
		claim(1, SHORT_LEASE);
		corrupt(job.id());
		awaitLapsed();
		JobRecord next = job(null);
		this.store.enqueue(next, 0);
		assertThat(claim(5, LONG_LEASE)).extracting((claimed) -> claimed.job().id()).containsExactly(next.id());
		assertFailedAsCorrupt(job.id());
	}

	@Test
	void settleRenewAndRemoveGetOnWithCorruptJson() {
		JobRecord running = job("same");
		this.store.enqueue(running, 0);
		ClaimedJob claimed = claim(1, LONG_LEASE).get(0);
		corrupt(running.id());
		assertThat(this.store.renew(QUEUE, LONG_LEASE, leaseOf(claimed))).isEmpty();
		assertThat(settle(claimed, Settlement.DONE)).isTrue();
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.active()).isEmpty();
		assertThat(snapshot.stats()).containsEntry("processed", 1L);

		JobRecord waiting = job(null);
		this.store.enqueue(waiting, System.currentTimeMillis() + 3_600_000);
		corrupt(waiting.id());
		assertThat(this.store.inspect(QUEUE, 0, -1).delayedCount()).isEqualTo(1);
		assertThat(this.store.remove(waiting.id())).isEqualTo(1);
		assertThat(this.redis.opsForHash().hasKey(key("jobs"), waiting.id())).isFalse();
		assertThat(this.store.inspect(QUEUE, 0, -1).delayedCount()).isZero();
	}

	@Test
	void queueNamesFromCallsAreNotRememberedWithoutBound() {
		for (int i = 0; i < 1200; i++) {
			this.store.remove("queue-" + i + ":" + UUID.randomUUID());
			this.store.retryFailed("other-" + i + ":" + UUID.randomUUID());
		}
		for (int i = 0; i < 1200; i++) {
			this.store.enqueue(
					new JobRecord("enqueued-" + i + ":x", "work", "enqueued-" + i, null, 0, null, null, null),
					3_000_000_000_000L);
		}
		assertThat(this.store.rememberedQueues()).isLessThanOrEqualTo(RedisTaskStore.MAX_REMEMBERED_QUEUES);
	}

	@Test
	void theHistoryIsOneHashThatLivesADayPastItsLastCountAndReusesTheSlotOfTheMinuteADayAgo() {
		long current = Math.floorDiv(System.currentTimeMillis(), 60_000L);
		// Every slot holds a minute more than a day old, as a ring left idle would.
		long base = Math.floorDiv(current - 2 * 1440, 1440) * 1440;
		Map<String, String> old = new java.util.HashMap<>();
		for (int slot = 0; slot < 1440; slot++) {
			old.put(slot + ":m", Long.toString(base + slot));
			old.put(slot + ":d", "5");
			old.put(slot + ":f", "5");
		}
		this.redis.opsForHash().putAll(key("history"), old);
		long before = Math.floorDiv(System.currentTimeMillis(), 60_000L);
		this.store.enqueue(job(null), 0);
		assertThat(settle(claim(1, LONG_LEASE).get(0), Settlement.DONE)).isTrue();
		long after = Math.floorDiv(System.currentTimeMillis(), 60_000L);
		Long ttl = this.redis.getExpire(key("history"), java.util.concurrent.TimeUnit.MILLISECONDS);
		assertThat(ttl).isBetween(Duration.ofDays(1).minusMinutes(1).toMillis(), Duration.ofDays(1).toMillis());
		assertThat(this.redis.opsForHash().size(key("history"))).as("a bounded ring").isEqualTo(3 * 1440);
		List<TaskStore.History.Minute> recent = this.store.history(QUEUE)
			.minutes()
			.stream()
			.filter((minute) -> minute.minute() > base + 1439)
			.toList();
		assertThat(recent).singleElement().satisfies((minute) -> {
			assertThat(minute.minute()).isBetween(before, after);
			assertThat(minute.done()).as("the old minute's counts were reset").isEqualTo(1);
			assertThat(minute.failed()).isZero();
		});
	}

	@Test
	void deletingTheFailedJobsLeavesNothingOfThemInRedis() {
		List<String> failed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			JobRecord job = new JobRecord(QUEUE + ":" + UUID.randomUUID(), "work", QUEUE, null, 0, "unique-" + i, null,
					null);
			this.store.enqueue(job, 0);
			assertThat(settle(claim(1, LONG_LEASE).get(0), Settlement.FAIL)).isTrue();
			failed.add(job.id());
		}
		// A unique entry that still names a failed job, as one written by hand might.
		this.redis.opsForHash().put(key("unique"), "unique-0", failed.get(0));
		JobRecord waiting = job(null);
		this.store.enqueue(waiting, 0);
		assertThat(this.store.deleteFailed(QUEUE, 1000)).isEqualTo(3);
		assertThat(this.redis.hasKey(key("failed"))).isFalse();
		assertThat(this.redis.hasKey(key("failures"))).isFalse();
		assertThat(this.redis.hasKey(key("attempts"))).isFalse();
		assertThat(this.redis.hasKey(key("unique"))).isFalse();
		assertThat(this.redis.opsForHash().keys(key("jobs"))).containsExactly(waiting.id());
		assertThat(this.redis.opsForList().range(key("pending"), 0, -1)).containsExactly(waiting.id());
	}

	private void assertFailedAsCorrupt(String... ids) {
		TaskStore.QueueSnapshot snapshot = this.store.inspect(QUEUE, 0, -1);
		assertThat(snapshot.failed()).containsOnlyKeys(ids);
		assertThat(snapshot.failed().values()).allSatisfy((failure) -> assertThat(failure).contains("\"corrupt\""));
		assertThat(snapshot.active()).doesNotContainKeys(ids);
		assertThat(snapshot.stats()).containsEntry("failed", (long) ids.length);
	}

	private JobRecord job(String lock) {
		return new JobRecord(QUEUE + ":" + UUID.randomUUID(), "work", QUEUE, null, System.currentTimeMillis(), null,
				lock, null);
	}

	/**
	 * Puts a job with the given JSON at the end of the queue, as someone who can write to
	 * Redis could.
	 */
	private String plant(String json) {
		String id = QUEUE + ":" + UUID.randomUUID();
		this.redis.opsForHash().put(key("jobs"), id, json);
		this.redis.opsForList().rightPush(key("pending"), id);
		return id;
	}

	private void corrupt(String id) {
		this.redis.opsForHash().put(key("jobs"), id, "{corrupt");
	}

	private String key(String name) {
		return this.keys.taskQueue(QUEUE) + ":" + name;
	}

	private List<ClaimedJob> claim(int max, Duration lease) {
		return new ArrayList<>(this.store.claim(QUEUE, "node-a", max, lease, 2, Duration.ofSeconds(1)));
	}

	private static Map<String, TaskStore.Lease> leaseOf(ClaimedJob job) {
		return Map.of(job.job().id(), job.lease());
	}

	private boolean settle(ClaimedJob job, Settlement settlement) {
		return this.store.settle(QUEUE, job.job().id(), job.lease(), settlement, Duration.ZERO,
				(settlement == Settlement.FAIL) ? "{\"reason\":\"error\"}" : null);
	}

	private void awaitLapsed() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.store.nextWakeMillis(QUEUE) == 0);
	}

}
