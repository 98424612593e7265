package dev.cohort.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.RpcTimeoutException;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TaskEndpoints.Run;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Cohort on a Redis Cluster that changes under load: a slot migrating between masters (as
 * {@code redis-cli --cluster reshard} moves it) and a master killed with SIGKILL (its
 * replica is promoted). One cluster with replicas for the class; the failover comes last,
 * as it leaves a master dead.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class RedisClusterChangeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** How soon everything must work again after a change. */
	private static final Duration RECOVERY = Duration.ofSeconds(15);

	private static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);

	private RedisClusterSet cluster;

	@BeforeAll
	void startCluster() {
		this.cluster = RedisClusterSet.startWithReplicas();
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	/**
	 * What the Redis stores rely on, on a real cluster: Lettuce follows {@code ASK} (and
	 * {@code MOVED}) for {@code EVALSHA} itself, but a script on several keys of a
	 * half-moved slot is refused with {@code TRYAGAIN} until the migration ends, which
	 * {@link ClusterRetry} waits out.
	 */
	@Test
	@Order(1)
	void lettuceFollowsAskForScriptsAndTryAgainIsRetriedUntilTheSlotHasMoved() throws Exception {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(this.cluster.nodeAddresses()));
		factory.afterPropertiesSet();
		factory.start();
		try {
			StringRedisTemplate plain = new StringRedisTemplate(factory);
			StringRedisTemplate retrying = ClusterRetry.template(new StringRedisTemplate(factory));
			RedisScript<String> one = RedisScript.of("return redis.call('GET', KEYS[1])", String.class);
			RedisScript<String> two = RedisScript.of("return redis.call('GET', KEYS[1]) .. redis.call('GET', KEYS[2])",
					String.class);
			List<String> keys = List.of("{retry-contract}:a", "{retry-contract}:b");
			plain.opsForValue().set(keys.get(0), "a");
			plain.opsForValue().set(keys.get(1), "b");
			int slot = this.cluster.slotOf(keys.get(0));
			RedisServer source = this.cluster.masterOf(slot);
			RedisServer target = otherMaster(source);
			List<CompletableFuture<String>> retried = new ArrayList<>();
			this.cluster.migrateSlot(slot, target, 1, () -> {
				for (String key : keys) {
					// The moved key is answered with ASK by the source: Lettuce follows
					// it
					assertThat(plain.execute(one, List.of(key))).isEqualTo(key.substring(key.length() - 1));
				}
				assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> plain.execute(two, keys))
					.satisfies((ex) -> assertThat(ClusterRetry.isRefusal(ex)).as(ex.toString()).isTrue())
					.withStackTraceContaining("TRYAGAIN");
				retried.add(CompletableFuture.supplyAsync(() -> retrying.execute(two, keys)));
				await().during(Duration.ofMillis(200))
					.atMost(Duration.ofSeconds(1))
					.until(() -> !retried.get(0).isDone());
			});
			assertThat(retried).singleElement()
				.satisfies((call) -> assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("ab"));
			assertThat(this.cluster.masterOf(slot)).isEqualTo(target);
			// A client that still sees the old owner gets MOVED, which Lettuce follows
			assertThat(plain.execute(two, keys)).isEqualTo("ab");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	@Order(2)
	void tasksCacheLocksAndRpcKeepWorkingWhileTheQueuesSlotMovesAndItsMasterFailsOver() throws Exception {
		try (TestNodes nodes = TestNodes.redisCluster(this.cluster); Load load = new Load()) {
			nodes.common().put("cluster.tasks.lease", "2s");
			nodes.common().put("cluster.tasks.max-processors", 4);
			ConfigurableApplicationContext server = nodes.start("cluster.role=server");
			ConfigurableApplicationContext worker = nodes.start("cluster.role=worker");
			ConfigurableApplicationContext callee = nodes.start("cluster.role=server");
			String calleeId = callee.getBean(ClusterNodes.class).self().id();
			assertFailoverReady(server.getBean(LettuceConnectionFactory.class));
			await().atMost(TIMEOUT).until(() -> server.getBean(ClusterNodes.class).members().size() == 3);
			ClusterKeys keys = server.getBean(ClusterKeys.class);
			String queueKey = keys.taskQueueKey(TaskDefinition.DEFAULT_QUEUE, "pending");
			int slot = this.cluster.slotOf(queueKey);
			// The cache entry and lock share the queue's slot, so that they move with it
			String cacheKey = nameInSlot(slot, keys::cacheEntry);
			String lockName = nameInSlot(slot, keys::cacheLock);
			Queue<Run> runs = worker.getBean(TaskEndpoints.class).runs;
			load.start(server.getBean(ClusterTasks.class), server.getBean(ClusterCache.class), cacheKey, lockName,
					server.getBean(ClusterRpc.class).withTimeout(RPC_TIMEOUT), calleeId);
			await().atMost(TIMEOUT).until(() -> runs.size() >= 20 && load.rpcOk.get() >= 5);

			// 1. The queue's slot moves to another master, a key at a time; between
			// batches, scripts on the half-moved slot really run (and are refused)
			RedisServer source = this.cluster.masterOf(slot);
			RedisServer target = otherMaster(source);
			AtomicInteger halfMovedRefusals = new AtomicInteger();
			long migrationStart = System.nanoTime();
			int moved = this.cluster.migrateSlot(slot, target, 1, () -> {
				long before = tryAgains(source, target);
				await().atMost(Duration.ofSeconds(5)).until(() -> tryAgains(source, target) > before);
				halfMovedRefusals.incrementAndGet();
			});
			long migrated = System.nanoTime();
			int runsAfterMigration = runs.size();
			await().atMost(RECOVERY).until(() -> runs.size() > runsAfterMigration);
			long drainingAfterMigration = System.nanoTime();
			Map<String, Integer> migrationFailures = load.failuresSoFar();
			assertThat(this.cluster.masterOf(slot)).isEqualTo(target);
			assertThat(moved).isGreaterThan(1);
			assertThat(halfMovedRefusals).hasValue(moved - 1);

			// 2. The master now holding the queue is killed; the writers pause while
			// its replica catches up, as an acknowledged write can otherwise be lost
			// with it (Redis replicates asynchronously)
			load.paused = true;
			awaitReplicaInSync(target);
			int runsAtKill = runs.size();
			long killed = System.nanoTime();
			load.paused = false;
			RedisServer promoted = this.cluster.killMaster(target);
			long promotedAt = System.nanoTime();
			int runsAtPromotion = runs.size();
			int ackedAtPromotion = load.acked.size();
			long okBefore = load.rpcOk.get();
			long cacheOkBefore = load.cacheOk.get();
			await().atMost(RECOVERY).until(() -> runs.size() > runsAtPromotion);
			long drainingAgain = System.nanoTime();
			await().atMost(RECOVERY).until(() -> load.rpcOk.get() > okBefore);
			long rpcAgain = System.nanoTime();
			await().atMost(RECOVERY).until(() -> load.cacheOk.get() > cacheOkBefore);
			long cacheAgain = System.nanoTime();
			await().atMost(TIMEOUT).until(() -> load.acked.size() > ackedAtPromotion + 10);

			// 3. The load stops; every acknowledged job runs
			load.close();
			ClusterTasks tasks = server.getBean(ClusterTasks.class);
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ranJobs(runs)).containsAll(load.acked));
			await().atMost(TIMEOUT).until(() -> idle(tasks));

			Map<String, List<Run>> byJob = new LinkedHashMap<>();
			List<Run> ordered = List.copyOf(runs);
			Map<String, Integer> firstIndex = new LinkedHashMap<>();
			for (int i = 0; i < ordered.size(); i++) {
				Run run = ordered.get(i);
				byJob.computeIfAbsent(run.jobId(), (id) -> new ArrayList<>()).add(run);
				firstIndex.putIfAbsent(run.jobId(), i);
			}
			List<String> twice = byJob.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().size() > 1)
				.map(Map.Entry::getKey)
				.toList();
			for (String jobId : twice) {
				List<Run> jobRuns = byJob.get(jobId);
				// Only a job running when the master died runs again, with a higher
				// attempt and fencing token
				assertThat(firstIndex.get(jobId)).as("first run of %s", jobId).isLessThan(runsAtPromotion);
				for (int i = 1; i < jobRuns.size(); i++) {
					assertThat(jobRuns.get(i).attempt()).isGreaterThan(jobRuns.get(i - 1).attempt());
					assertThat(jobRuns.get(i).fencingToken()).isGreaterThan(jobRuns.get(i - 1).fencingToken());
				}
			}
			QueueStats stats = stats(tasks);
			assertThat(stats.failed()).as("jobs failed for good").isZero();
			assertThat(stats.failures()).as("jobs failed for good").isZero();
			assertThat(load.cacheViolations).as("cache reads that missed the write before").isEmpty();
			assertThat(load.fenceViolations).as("fencing tokens not above the last one").isEmpty();
			assertThat(load.rpcHangs).as("RPC calls that outlived their timeout").isEmpty();
			assertThat(migrationFailures).as("failures while the slot moved").isEmpty();
			// A call fails only with a clear error: the callee did not answer in time, or
			// was dropped from the membership while the failover outlasted the node
			// timeout, or the call's request was on its way to the master when it died
			String clearErrors = "(" + RpcTimeoutException.class.getSimpleName() + "|"
					+ UnknownNodeException.class.getSimpleName() + "): .*|RedisException: Connection .*";
			assertThat(load.rpcFailures.keySet()).allSatisfy((kind) -> assertThat(kind).matches(clearErrors));

			System.out.printf("Redis Cluster under change: slot %d of the busy queue (%d keys) moved from %s to %s "
					+ "in %d ms, a key at a time, with %d pauses on the half-moved slot; the worker drained again "
					+ "%d ms after it ended; failures while it moved: %s.%n", slot, moved, source.port(), target.port(),
					millis(migrationStart, migrated), halfMovedRefusals.get(), millis(migrated, drainingAfterMigration),
					migrationFailures);
			System.out.printf("Master %d killed (SIGKILL): replica %d promoted after %d ms; the worker drained again "
					+ "%d ms, RPC answered again %d ms, the cache and locks %d ms after the kill. %d jobs enqueued "
					+ "and acknowledged, none lost; %d ran twice (running at the kill, %d runs then), each with a "
					+ "higher attempt and fencing token; 0 failed. Enqueues refused: %s; cache/lock failures: %s; "
					+ "RPC: %d ok, failures: %s, slowest %d ms (timeout %d ms).%n", target.port(), promoted.port(),
					millis(killed, promotedAt), millis(killed, drainingAgain), millis(killed, rpcAgain),
					millis(killed, cacheAgain), load.acked.size(), twice.size(), runsAtKill, load.enqueueFailures,
					load.cacheFailures, load.rpcOk.get(), load.rpcFailures, load.slowestRpcMillis.get(),
					RPC_TIMEOUT.toMillis());
		}
	}

	/**
	 * Cohort's Lettuce options for a cluster: a periodic topology refresh besides the
	 * adaptive one, and commands for a node that is down rejected rather than queued.
	 */
	private static void assertFailoverReady(LettuceConnectionFactory factory) {
		assertThat(factory.getClientConfiguration().getClientOptions()).get()
			.isInstanceOfSatisfying(ClusterClientOptions.class, (options) -> {
				assertThat(options.getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
				assertThat(options.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.getTopologyRefreshOptions().getAdaptiveRefreshTriggers()).isNotEmpty();
				assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
			});
	}

	private RedisServer otherMaster(RedisServer master) {
		return this.cluster.masters().stream().filter((other) -> !other.equals(master)).findFirst().orElseThrow();
	}

	private static long tryAgains(RedisServer source, RedisServer target) {
		return RedisClusterSet.errorCount(source, "TRYAGAIN") + RedisClusterSet.errorCount(target, "TRYAGAIN");
	}

	private static void awaitReplicaInSync(RedisServer master) {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(master.uri()))) {
			await().atMost(TIMEOUT).until(() -> connection.sync().waitForReplication(1, 1000) >= 1);
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/** A name whose key, as Cohort names it, hashes to a slot. */
	private static String nameInSlot(int slot, Function<String, String> key) {
		for (int i = 0;; i++) {
			String name = "moving-" + i;
			if (SlotHash.getSlot(key.apply(name).getBytes(StandardCharsets.UTF_8)) == slot) {
				return name;
			}
		}
	}

	private static Set<String> ranJobs(Queue<Run> runs) {
		Set<String> ids = new HashSet<>();
		runs.forEach((run) -> ids.add(run.jobId()));
		return ids;
	}

	private static QueueStats stats(ClusterTasks tasks) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals(TaskDefinition.DEFAULT_QUEUE))
			.findFirst()
			.orElseThrow();
	}

	private static boolean idle(ClusterTasks tasks) {
		QueueStats stats = stats(tasks);
		return stats.waiting() == 0 && stats.running() == 0 && stats.delayed() == 0;
	}

	private static long millis(long from, long to) {
		return (to - from) / 1_000_000;
	}

	/**
	 * The steady load: enqueues, cache writes and reads with a lock taken and given back,
	 * RPC calls; what failed, by kind, with counts.
	 */
	private static final class Load implements AutoCloseable {

		private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(3);

		final Set<String> acked = ConcurrentHashMap.newKeySet();

		final Map<String, AtomicInteger> enqueueFailures = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> cacheFailures = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> rpcFailures = new ConcurrentHashMap<>();

		final Queue<String> cacheViolations = new ConcurrentLinkedQueue<>();

		final Queue<String> fenceViolations = new ConcurrentLinkedQueue<>();

		final Queue<String> rpcHangs = new ConcurrentLinkedQueue<>();

		final AtomicLong rpcOk = new AtomicLong();

		final AtomicLong cacheOk = new AtomicLong();

		final AtomicLong slowestRpcMillis = new AtomicLong();

		volatile boolean paused;

		private long lastFence;

		private int written;

		void start(ClusterTasks tasks, ClusterCache cache, String cacheKey, String lockName, ClusterRpc rpc,
				String calleeId) {
			AtomicInteger enqueued = new AtomicInteger();
			this.executor.scheduleWithFixedDelay(() -> {
				if (!this.paused) {
					try {
						this.acked.add(tasks.enqueue("record", new Greeting("load", enqueued.incrementAndGet())));
					}
					catch (RuntimeException ex) {
						count(this.enqueueFailures, ex);
					}
				}
			}, 0, 5, TimeUnit.MILLISECONDS);
			this.executor.scheduleWithFixedDelay(() -> {
				if (!this.paused) {
					useCache(cache, cacheKey, lockName);
				}
			}, 0, 10, TimeUnit.MILLISECONDS);
			AtomicInteger calls = new AtomicInteger();
			this.executor.scheduleWithFixedDelay(() -> {
				int n = calls.incrementAndGet();
				long start = System.nanoTime();
				rpc.call(calleeId, "add", Integer.class, n, 1).whenComplete((sum, ex) -> {
					long took = millis(start, System.nanoTime());
					this.slowestRpcMillis.accumulateAndGet(took, Math::max);
					if (took > RPC_TIMEOUT.toMillis() + 1000) {
						this.rpcHangs.add("call " + n + " took " + took + " ms");
					}
					if (ex != null) {
						count(this.rpcFailures, ex);
					}
					else if (sum == n + 1) {
						this.rpcOk.incrementAndGet();
					}
				});
			}, 0, 20, TimeUnit.MILLISECONDS);
		}

		private void useCache(ClusterCache cache, String cacheKey, String lockName) {
			try {
				int value = ++this.written;
				cache.save(cacheKey, value);
				Optional<Integer> read = cache.load(cacheKey, Integer.class);
				if (!read.equals(Optional.of(value))) {
					this.cacheViolations.add("wrote " + value + ", read " + read);
				}
				Optional<ClusterLock> lock = cache.tryLock(lockName, Duration.ofSeconds(5));
				if (lock.isPresent()) {
					long fence = lock.get().fencingToken();
					if (fence <= this.lastFence) {
						this.fenceViolations.add(fence + " after " + this.lastFence);
					}
					this.lastFence = fence;
					lock.get().unlock();
				}
				this.cacheOk.incrementAndGet();
			}
			catch (RuntimeException ex) {
				count(this.cacheFailures, ex);
			}
		}

		/** The failures counted so far, by what failed and how. */
		Map<String, Integer> failuresSoFar() {
			Map<String, Integer> failures = new LinkedHashMap<>();
			this.enqueueFailures.forEach((kind, count) -> failures.put("enqueue " + kind, count.get()));
			this.cacheFailures.forEach((kind, count) -> failures.put("cache " + kind, count.get()));
			this.rpcFailures.forEach((kind, count) -> failures.put("rpc " + kind, count.get()));
			return failures;
		}

		/** Counts a failure by its kind: its class and its deepest cause's message. */
		private static void count(Map<String, AtomicInteger> failures, Throwable ex) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			String message = String.valueOf(root.getMessage());
			String kind = ((ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex).getClass()
				.getSimpleName() + ": " + message.substring(0, Math.min(80, message.length()));
			failures.computeIfAbsent(kind, (k) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public void close() throws InterruptedException {
			this.paused = true;
			this.executor.shutdown();
			this.executor.awaitTermination(10, TimeUnit.SECONDS);
		}

	}

}
