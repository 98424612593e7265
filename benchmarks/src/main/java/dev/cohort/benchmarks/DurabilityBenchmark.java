package dev.cohort.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What {@code cluster.redis.wait-replicas=1} costs an enqueue: a master with one replica
 * (two {@code redis-server}s on loopback), two client nodes ({@code cluster.role}
 * {@code server}) in namespaces of their own on it, one with {@code wait-replicas} 0 and
 * one with 1, measured in the same sitting. Blocks of serial enqueues of the two
 * alternate (latency), then runs from {@value #THREADS} threads (throughput, the best of
 * {@value #RUNS} runs each, alternating).
 */
final class DurabilityBenchmark {

	private static final int WARMUP = 3_000;

	private static final int BLOCKS = 10;

	private static final int PER_BLOCK = 1_000;

	private static final int THREADS = 16;

	private static final int THROUGHPUT_JOBS = 20_000;

	private static final int RUNS = 3;

	private DurabilityBenchmark() {
	}

	static void run() throws Exception {
		try (RedisServer master = RedisServer.start();
				RedisServer replica = RedisServer.start("--replicaof", master.host(), String.valueOf(master.port()))) {
			awaitReplica(master);
			ExecutorService threads = Executors.newFixedThreadPool(THREADS);
			try (ConfigurableApplicationContext off = BenchmarkNode.start(master.host(), master.port(),
					"bench-durable-0", Map.of("cluster.role", "server"));
					ConfigurableApplicationContext on = BenchmarkNode.start(master.host(), master.port(),
							"bench-durable-1", Map.of("cluster.role", "server", "cluster.redis.wait-replicas", 1))) {
				measure(off.getBean(ClusterTasks.class), on.getBean(ClusterTasks.class), threads);
			}
			finally {
				threads.shutdownNow();
			}
		}
	}

	private static void measure(ClusterTasks off, ClusterTasks on, ExecutorService threads) throws Exception {
		CpuMeter cpu = CpuMeter.start();
		for (int i = 0; i < WARMUP; i++) {
			off.enqueue(NoopTask.NAME, null);
			on.enqueue(NoopTask.NAME, null);
		}
		LatencyRecorder offLatency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		LatencyRecorder onLatency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		for (int block = 0; block < BLOCKS; block++) {
			serial(off, offLatency);
			serial(on, onLatency);
		}
		System.out.println();
		System.out.println("Enqueue on a master with one replica, cluster.redis.wait-replicas 0 against 1, serial, "
				+ offLatency.count() + " enqueues each");
		Benchmarks.print("wait 0", offLatency);
		Benchmarks.print("wait 1", onLatency);
		System.out.printf(Locale.ROOT, "  ratio wait 1 / wait 0: p50 %.2fx, p99 %.2fx, mean %.2fx%n",
				onLatency.percentileMicros(50) / offLatency.percentileMicros(50),
				onLatency.percentileMicros(99) / offLatency.percentileMicros(99),
				onLatency.meanMicros() / offLatency.meanMicros());
		double offRate = 0;
		double onRate = 0;
		for (int run = 0; run < RUNS; run++) {
			offRate = Math.max(offRate, perSecond(off, threads));
			onRate = Math.max(onRate, perSecond(on, threads));
		}
		System.out.printf(Locale.ROOT, "Enqueue from %d threads, %,d jobs, best of %d runs%n", THREADS, THROUGHPUT_JOBS,
				RUNS);
		System.out.printf(Locale.ROOT, "  wait 0       %,10.0f jobs/s%n", offRate);
		System.out.printf(Locale.ROOT, "  wait 1       %,10.0f jobs/s%n", onRate);
		System.out.printf(Locale.ROOT, "  ratio wait 1 / wait 0: %.2fx%n", onRate / offRate);
		Benchmarks.printIfAny(cpu.report());
	}

	private static void serial(ClusterTasks tasks, LatencyRecorder recorder) {
		for (int i = 0; i < PER_BLOCK; i++) {
			long start = System.nanoTime();
			tasks.enqueue(NoopTask.NAME, null);
			recorder.record(System.nanoTime() - start);
		}
	}

	/** Enqueues from every thread, each its share, and answers jobs per second. */
	private static double perSecond(ClusterTasks tasks, ExecutorService threads) throws Exception {
		return THROUGHPUT_JOBS / (TaskBenchmark.enqueueFromThreads(tasks, THROUGHPUT_JOBS, threads, THREADS) / 1e9);
	}

	/** Waits until the master counts its replica online. */
	private static void awaitReplica(RedisServer master) throws InterruptedException {
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(master.uri()))) {
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!connection.sync().info("replication").contains("state=online")) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The replica did not come online within 30s");
				}
				// A poll of the replica's state, not synchronisation between threads.
				Thread.sleep(50);
			}
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

}
