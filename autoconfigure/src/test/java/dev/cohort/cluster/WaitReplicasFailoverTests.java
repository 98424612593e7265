package dev.cohort.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.cohort.autoconfigure.ClusterProperties;
import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cache.LockInfo;
import dev.cohort.internal.redis.ReplicaWait;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobInfo;
import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.redis.wait-replicas}: the master of a Sentinel set is killed (SIGKILL)
 * right after an enqueue and a lock taking returned, while its replica lags behind (it is
 * frozen, and the master holds more than its socket takes in its output buffer, so the
 * writes are on the master only). Without the wait both are lost in the failover, and the
 * lock's fencing token is handed out again; with it the calls return only once the
 * replica has them, and both survive.
 */
@TestInstance(Lifecycle.PER_CLASS)
class WaitReplicasFailoverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	/** A value for the writes that fill the master's output buffer to the replica. */
	private static final String JUNK = "x".repeat(4 * 1024 * 1024);

	private final RedisClient client = RedisClient.create();

	@AfterAll
	void shutdown() {
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	@Test
	void withoutWaitAnAcknowledgedJobAndLockAreLostInAFailover() {
		try (RedisSentinelSet sentinel = RedisSentinelSet.start();
				TestNodes nodes = TestNodes.redisSentinel(sentinel)) {
			ConfigurableApplicationContext node = nodes.start();
			ClusterTasks tasks = node.getBean(ClusterTasks.class);
			ClusterCache cache = node.getBean(ClusterCache.class);
			String kept = tasks.enqueueIn(Duration.ofHours(1), "record", new Greeting("kept", 1));
			awaitReplicaInSync(sentinel);
			// Due in an hour: it would stay among the delayed jobs.
			Written written = lagThenKill(sentinel, () -> write(tasks, cache, Duration.ofHours(1)), false);
			// The node reads the promoted replica: the job enqueued before is there...
			List<String> delayed = awaitDelayed(tasks);
			assertThat(delayed).contains(kept);
			// ...the acknowledged one is not, and the lock's fencing token is handed out
			// again.
			assertThat(delayed).doesNotContain(written.jobId());
			Optional<ClusterLock> next = cache.tryLock("guarded", Duration.ofSeconds(30));
			assertThat(next)
				.hasValueSatisfying((lock) -> assertThat(lock.fencingToken()).isEqualTo(written.lock().fencingToken()));
			System.out.println("wait-replicas=0: acknowledged job " + written.jobId()
					+ " lost in the failover; fencing token " + written.lock().fencingToken() + " handed out twice");
		}
	}

	@Test
	void withWaitReplicasAnAcknowledgedJobAndLockSurviveAFailover() {
		try (RedisSentinelSet sentinel = RedisSentinelSet.start();
				TestNodes nodes = TestNodes.redisSentinel(sentinel)) {
			ConfigurableApplicationContext node = nodes.start("cluster.redis.wait-replicas=1",
					"cluster.redis.wait-timeout=3s");
			ClusterTasks tasks = node.getBean(ClusterTasks.class);
			ClusterCache cache = node.getBean(ClusterCache.class);
			// Due soon: it runs once the worker reaches the promoted replica.
			Written written = lagThenKill(sentinel, () -> write(tasks, cache, Duration.ofSeconds(2)), true);
			TaskEndpoints endpoints = node.getBean(TaskEndpoints.class);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(endpoints.runs).extracting(TaskEndpoints.Run::jobId)
					.contains(written.jobId()));
			// The lock is still held, and its fencing counter too: its next holder gets a
			// higher token. (Taken now, it would fail: the promoted replica has no
			// replica of its own.)
			assertThat(cache.checkLock("guarded")).map(LockInfo::fencingToken).contains(written.lock().fencingToken());
			try (StatefulRedisConnection<String, String> promoted = this.client
				.connect(RedisURI.create(sentinel.replica().uri()))) {
				assertThat(promoted.sync().get(node.getBean(ClusterKeys.class).cacheFence("guarded")))
					.isEqualTo(Long.toString(written.lock().fencingToken()));
			}
			// The promoted replica has no replica of its own: writes that wait miss it,
			// and fail, though they are on the master.
			CompletableFuture<String> unreplicated = CompletableFuture
				.supplyAsync(() -> tasks.enqueue("record", new Greeting("unreplicated", 3)));
			CompletableFuture<Optional<ClusterLock>> unreplicatedLock = CompletableFuture
				.supplyAsync(() -> cache.tryLock("unreplicated", Duration.ofSeconds(30)));
			assertThat(unreplicated).failsWithin(TIMEOUT)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(NotReplicatedException.class)
				.withMessageContaining("reached the Redis master, but only 0 of the 1 replica(s)");
			assertThat(unreplicatedLock).failsWithin(TIMEOUT)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(NotReplicatedException.class);
			// The lock, not handed out, is released; the job runs.
			assertThat(cache.checkLock("unreplicated")).isEmpty();
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(endpoints.runs).extracting(TaskEndpoints.Run::greeting)
					.contains(new Greeting("unreplicated", 3)));
			MeterRegistry registry = node.getBean(MeterRegistry.class);
			assertThat(registry.counter("cohort.redis.replicas.missed", "operation", "enqueue").count()).isOne();
			assertThat(registry.counter("cohort.redis.replicas.missed", "operation", "lock").count()).isOne();
			System.out.println("wait-replicas=1: acknowledged job " + written.jobId()
					+ " survived the failover and ran; lock kept its fencing token " + written.lock().fencingToken());
		}
	}

	@Test
	void isRefusedOnARedisClusterAndOffByDefault() {
		LettuceConnectionFactory cluster = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of("127.0.0.1:1")));
		assertThatExceptionOfType(ClusterConfigurationException.class)
			.isThrownBy(() -> ReplicaWait.of(cluster, 1, Duration.ofSeconds(1), new ClusterMetrics() {
			}))
			.withMessageContaining("not supported on a Redis Cluster");
		ClusterProperties.Redis defaults = new ClusterProperties().getRedis();
		assertThat(defaults.getWaitReplicas()).isZero();
		assertThat(ReplicaWait.of(cluster, defaults.getWaitReplicas(), defaults.getWaitTimeout(), new ClusterMetrics() {
		})).isNull();
	}

	/**
	 * An enqueue (delayed, so that it does not run before the failover) and a lock
	 * taking, both started at once.
	 */
	private static Written write(ClusterTasks tasks, ClusterCache cache, Duration delay) {
		CompletableFuture<String> job = CompletableFuture
			.supplyAsync(() -> tasks.enqueueIn(delay, "record", new Greeting("acknowledged", 2)));
		CompletableFuture<ClusterLock> lock = CompletableFuture
			.supplyAsync(() -> cache.tryLock("guarded", Duration.ofSeconds(30)).orElseThrow());
		return new Written(job, lock);
	}

	/**
	 * Freezes the replica (SIGSTOP) and fills the master's output buffer to it beyond
	 * what the sockets take, then writes: writes that do not wait for the replica return
	 * and are on the master only. Once they returned (those that wait must not return
	 * while the replica is frozen), lets the replica go on and kills the master.
	 */
	private Written lagThenKill(RedisSentinelSet sentinel, Supplier<Written> writes, boolean waitForReplica) {
		try (StatefulRedisConnection<String, String> master = this.client
			.connect(RedisURI.create(sentinel.master().uri()))) {
			sentinel.replica().pause();
			try {
				for (int i = 0; i < 64 && replicaBacklog(master) < JUNK.length(); i++) {
					master.sync().set("junk:" + i, JUNK);
				}
				assertThat(replicaBacklog(master)).isPositive();
				Written written = writes.get();
				if (waitForReplica) {
					// The writes that wait for the replica are still waiting.
					await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !written.isDone());
					sentinel.replica().resume();
				}
				written.await();
				sentinel.master().kill();
				return written;
			}
			finally {
				sentinel.replica().resume();
			}
		}
	}

	/** The bytes the master holds for the replica beyond what its socket took. */
	private static long replicaBacklog(StatefulRedisConnection<String, String> master) {
		for (String line : master.sync().clientList().split("\n")) {
			if (line.contains(" flags=S ")) {
				for (String field : line.trim().split(" ")) {
					if (field.startsWith("omem=")) {
						return Long.parseLong(field.substring(5));
					}
				}
			}
		}
		return 0;
	}

	private void awaitReplicaInSync(RedisSentinelSet sentinel) {
		try (StatefulRedisConnection<String, String> master = this.client
			.connect(RedisURI.create(sentinel.master().uri()));
				StatefulRedisConnection<String, String> replica = this.client
					.connect(RedisURI.create(sentinel.replica().uri()))) {
			long offset = Long.parseLong(info(master.sync().info("replication")).get("master_repl_offset"));
			await().atMost(TIMEOUT)
				.until(() -> Long
					.parseLong(info(replica.sync().info("replication")).get("slave_repl_offset")) >= offset);
		}
	}

	private static Map<String, String> info(String info) {
		return info.lines()
			.filter((line) -> line.contains(":"))
			.map((line) -> line.trim().split(":", 2))
			.collect(Collectors.toMap((pair) -> pair[0], (pair) -> pair[1]));
	}

	/** The delayed jobs, once the node reads them from the promoted replica. */
	private static List<String> awaitDelayed(ClusterTasks tasks) {
		return await().atMost(TIMEOUT)
			.ignoreExceptions()
			.until(() -> tasks.delayed("default").stream().map(JobInfo::id).toList(), (ids) -> true);
	}

	private record Written(CompletableFuture<String> job, CompletableFuture<ClusterLock> taken) {

		boolean isDone() {
			return this.job.isDone() || this.taken.isDone();
		}

		void await() {
			CompletableFuture.allOf(this.job, this.taken).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		}

		String jobId() {
			return this.job.join();
		}

		ClusterLock lock() {
			return this.taken.join();
		}

	}

}
