package dev.cohort.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.internal.TaskWorker;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code ClusterTasks} draining no-op jobs, against the figures the issue gives for
 * BullMQ on the same kind of machine and Redis: a client node ({@code cluster.role}
 * {@code server}) enqueues {@link #JOBS} jobs of a task that does nothing while the
 * worker is stopped, then the worker node (or nodes) is started and the time until the
 * last job is done gives jobs per second, at {@code cluster.tasks.max-processors} 8 and
 * 64. Every other setting is the default: leases, fencing tokens, Lua scripts. Also the
 * latency from just before an enqueue until the handler runs, with an idle worker, and
 * the rate of enqueueing from one thread and from {@link #ENQUEUE_THREADS}.
 * <p>
 * A round's drain is done when the queue's {@code processed} counter (from
 * {@link ClusterTasks#stats()}) has grown by {@link #JOBS}. To keep that check off the
 * drain, the handler counts its runs and the benchmark waits on a latch until the last
 * one ran; only then does it read the counter, until the last few settled.
 */
final class TaskBenchmark {

	static final String TASK = "bench.noop";

	private static final String NAMESPACE = "bench-tasks";

	/** Where the enqueue-only runs put their jobs, which no worker drains. */
	private static final String ENQUEUE_NAMESPACE = "bench-tasks-enqueue";

	private static final String QUEUE = "default";

	private static final int JOBS = 20_000;

	private static final int ROUNDS = 3;

	private static final int ENQUEUE_THREADS = 8;

	private static final int ENQUEUE_RUNS = 3;

	private static final int LATENCY_WARMUP = 1_000;

	private static final int LATENCY_SAMPLES = 5_000;

	/** The pause after each latency sample, for the worker to settle and wait again. */
	private static final long LATENCY_PAUSE_MILLIS = 2;

	private static final long TIMEOUT_SECONDS = 120;

	private static final double BULLMQ_AT_8 = 3_000;

	private static final double BULLMQ_AT_64 = 4_500;

	private static final double BULLMQ_P50_MILLIS = 2.0;

	private static final double THROUGHPUT_TARGET = 1.5;

	private static final double P50_TARGET_MILLIS = 1.0;

	private final String host;

	private final int port;

	private final ExecutorService threads;

	private final NoopTask task = new NoopTask();

	private TaskBenchmark(String host, int port, ExecutorService threads) {
		this.host = host;
		this.port = port;
		this.threads = threads;
	}

	/**
	 * Runs the task benchmark on nodes of its own.
	 * @param host the Redis host
	 * @param port the Redis port
	 */
	static void run(String host, int port) throws Exception {
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(ENQUEUE_THREADS, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-enqueue-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		try {
			new TaskBenchmark(host, port, threads).run();
		}
		finally {
			threads.shutdownNow();
		}
	}

	private void run() throws Exception {
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Tasks: no-op jobs (task %s, no arguments) in queue '%s', %d a round; every setting the default"
						+ " but cluster.tasks.max-processors%n",
				TASK, QUEUE, JOBS);
		double[] enqueueBest = enqueueRates();
		ConfigurableApplicationContext client = BenchmarkNode.start(this.host, this.port, NAMESPACE,
				Map.of("cluster.role", "server"));
		try {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			StringRedisTemplate redis = client.getBean(StringRedisTemplate.class);
			Drain at8 = drain(tasks, redis, 1, 8, true);
			Drain at64 = drain(tasks, redis, 1, 64, false);
			Drain twoNodes = drain(tasks, redis, 2, 8, false);
			summary(enqueueBest, at8, at64, twoNodes);
		}
		finally {
			client.close();
		}
	}

	/**
	 * Enqueues from one thread and from several, alternately, with no worker.
	 * @return the best rate of each
	 */
	private double[] enqueueRates() throws Exception {
		ConfigurableApplicationContext client = BenchmarkNode.start(this.host, this.port, ENQUEUE_NAMESPACE,
				Map.of("cluster.role", "server"));
		try {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			enqueue(tasks, JOBS, 1);
			enqueue(tasks, JOBS, ENQUEUE_THREADS);
			CpuMeter cpu = CpuMeter.start();
			List<Double> serial = new ArrayList<>();
			List<Double> parallel = new ArrayList<>();
			for (int run = 0; run < ENQUEUE_RUNS; run++) {
				serial.add(JOBS / seconds(enqueue(tasks, JOBS, 1)));
				parallel.add(JOBS / seconds(enqueue(tasks, JOBS, ENQUEUE_THREADS)));
			}
			System.out.println();
			System.out.println("Tasks, enqueue with no worker: " + JOBS + " jobs a run, best of " + ENQUEUE_RUNS);
			double serialBest = printRuns("1 thread", serial);
			double parallelBest = printRuns(ENQUEUE_THREADS + " threads", parallel);
			Benchmarks.printIfAny(cpu.report());
			StringRedisTemplate redis = client.getBean(StringRedisTemplate.class);
			String queue = "{" + ENQUEUE_NAMESPACE + ":tasks:" + QUEUE + "}";
			ClusterKeys keys = new ClusterKeys(ENQUEUE_NAMESPACE, ClusterKeys.defaultChannel(ENQUEUE_NAMESPACE));
			redis.delete(List.of(queue + ":pending", queue + ":jobs", keys.taskWake(QUEUE), keys.taskWake("*"),
					keys.taskQueues()));
			return new double[] { serialBest, parallelBest };
		}
		finally {
			client.close();
		}
	}

	/**
	 * Starts the worker nodes, drains one warm-up round and {@link #ROUNDS} measured
	 * ones, and measures the latency too if asked.
	 */
	private Drain drain(ClusterTasks tasks, StringRedisTemplate redis, int nodeCount, int maxProcessors,
			boolean latency) throws Exception {
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		try {
			List<TaskWorker> workers = new ArrayList<>();
			for (int i = 0; i < nodeCount; i++) {
				ConfigurableApplicationContext node = BenchmarkNode.start(this.host, this.port, NAMESPACE,
						Map.of("cluster.role", "worker", "cluster.tasks.max-processors", maxProcessors), this.task);
				nodes.add(node);
				workers.add(node.getBean(TaskWorker.class));
			}
			String name = ((nodeCount == 1) ? "1 worker node" : nodeCount + " worker nodes") + ", max-processors "
					+ maxProcessors + ((nodeCount == 1) ? "" : " each");
			System.out.println();
			System.out.println("Tasks, drain: " + name + ", " + JOBS + " jobs a round enqueued (from " + ENQUEUE_THREADS
					+ " threads) while the worker is stopped, then the worker started;" + " one warm-up round, then "
					+ ROUNDS);
			round(tasks, redis, workers);
			List<Double> rates = new ArrayList<>();
			for (int i = 1; i <= ROUNDS; i++) {
				Round round = round(tasks, redis, workers);
				rates.add(round.jobsPerSecond());
				System.out.printf(Locale.ROOT,
						"  round %d: %,6.0f jobs/s (all done after %.3f s, last handler ran after %.3f s);"
								+ " until then %.2f scripts a job, %d claims of %.1f jobs each%n",
						i, round.jobsPerSecond(), round.doneNanos() / 1e9, round.ranNanos() / 1e9,
						round.scriptsPerJob(), round.claims(), JOBS / (double) Math.max(1, round.claims()));
				Benchmarks.printIfAny(round.cpu());
			}
			double best = printRuns(name, rates);
			LatencyRecorder[] latencies = latency ? latency(tasks, redis) : null;
			return new Drain(name, maxProcessors, best, latencies);
		}
		finally {
			for (ConfigurableApplicationContext node : nodes) {
				node.close();
			}
		}
	}

	private Round round(ClusterTasks tasks, StringRedisTemplate redis, List<TaskWorker> workers) throws Exception {
		for (TaskWorker worker : workers) {
			worker.stop();
		}
		enqueue(tasks, JOBS, ENQUEUE_THREADS);
		QueueStats before = stats(tasks);
		if (before.waiting() != JOBS || before.running() != 0) {
			throw new IllegalStateException("Expected " + JOBS + " jobs waiting and none running: " + before);
		}
		long processed = before.processed();
		long[] scripts = scriptCalls(redis);
		this.task.expect(JOBS);
		CpuMeter cpu = CpuMeter.start();
		long start = System.nanoTime();
		for (TaskWorker worker : workers) {
			worker.start();
		}
		long ran = this.task.awaitAll(TIMEOUT_SECONDS) - start;
		long[] scriptsAfter = scriptCalls(redis);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (processed(tasks) < processed + JOBS) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The handler ran " + JOBS + " times, but only "
						+ (processed(tasks) - processed) + " jobs were recorded as done");
			}
		}
		long done = System.nanoTime() - start;
		String cpuLine = cpu.report();
		return new Round(JOBS / seconds(done), done, ran, (scriptsAfter[0] - scripts[0]) / (double) JOBS,
				scriptsAfter[1] - scripts[1], cpuLine);
	}

	private static QueueStats stats(ClusterTasks tasks) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals(QUEUE))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No queue '" + QUEUE + "'"));
	}

	private static long processed(ClusterTasks tasks) {
		return stats(tasks).processed();
	}

	/**
	 * How many Lua scripts ({@code EVALSHA}) and claims Redis ran so far, from
	 * {@code INFO commandstats}, which counts the commands scripts call too: only
	 * {@code claim.lua} calls {@code ZRANGEBYSCORE}, twice a claim.
	 * @return scripts and claims
	 */
	private static long[] scriptCalls(StringRedisTemplate redis) {
		Properties stats = redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		return new long[] { calls(stats, "evalsha"), calls(stats, "zrangebyscore") / 2 };
	}

	private static long calls(Properties stats, String command) {
		String line = (stats != null) ? stats.getProperty("cmdstat_" + command, "") : "";
		for (String field : line.split(",")) {
			if (field.startsWith("calls=")) {
				return Long.parseLong(field.substring("calls=".length()));
			}
		}
		return 0;
	}

	/**
	 * Enqueues jobs from threads of the pool, each its share.
	 * @return the nanoseconds from the start until the last enqueue returned
	 */
	private long enqueue(ClusterTasks tasks, int count, int threadCount) throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> enqueuers = new ArrayList<>(threadCount);
		for (int thread = 0; thread < threadCount; thread++) {
			int share = count / threadCount + ((thread < count % threadCount) ? 1 : 0);
			enqueuers.add(this.threads.submit(() -> {
				go.await();
				for (int i = 0; i < share; i++) {
					tasks.enqueue(TASK, null);
				}
				return null;
			}));
		}
		long start = System.nanoTime();
		go.countDown();
		for (Future<?> enqueuer : enqueuers) {
			enqueuer.get();
		}
		return System.nanoTime() - start;
	}

	/**
	 * Enqueues one job at a time to the idle worker and waits for its handler.
	 * @return the latency until the handler ran, and until {@code enqueue} returned
	 */
	private LatencyRecorder[] latency(ClusterTasks tasks, StringRedisTemplate redis) throws Exception {
		awaitIdle(redis);
		LatencyRecorder handled = new LatencyRecorder(LATENCY_SAMPLES);
		LatencyRecorder enqueued = new LatencyRecorder(LATENCY_SAMPLES);
		CpuMeter cpu = null;
		this.task.timing(true);
		try {
			for (int i = 0; i < LATENCY_WARMUP + LATENCY_SAMPLES; i++) {
				if (i == LATENCY_WARMUP) {
					cpu = CpuMeter.start();
				}
				long start = this.task.markEnqueue();
				tasks.enqueue(TASK, null);
				long returned = System.nanoTime() - start;
				long ran = this.task.awaitRun(TIMEOUT_SECONDS);
				if (i >= LATENCY_WARMUP) {
					handled.record(ran);
					enqueued.record(returned);
				}
				Thread.sleep(LATENCY_PAUSE_MILLIS);
			}
		}
		finally {
			this.task.timing(false);
		}
		System.out.println();
		System.out.println("Tasks, latency with an idle worker (1 node, max-processors 8): one job at a time, "
				+ LATENCY_PAUSE_MILLIS + " ms apart, " + LATENCY_SAMPLES + " after " + LATENCY_WARMUP
				+ " of warm-up; from just before enqueue");
		Benchmarks.print("handler ran", handled);
		Benchmarks.print("enqueue ret.", enqueued);
		Benchmarks.printIfAny(cpu.report());
		return new LatencyRecorder[] { handled, enqueued };
	}

	/**
	 * Waits until the worker has taken every wake-up the drain left behind (one per
	 * enqueue, up to a hundred), so that it waits for the next job.
	 */
	private static void awaitIdle(StringRedisTemplate redis) throws InterruptedException {
		String wake = new ClusterKeys(NAMESPACE, ClusterKeys.defaultChannel(NAMESPACE)).taskWake(QUEUE);
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		Long left = redis.opsForList().size(wake);
		long size = (left != null) ? left : 0;
		while (left != null && left > 0 && System.nanoTime() < deadline) {
			Thread.sleep(1);
			left = redis.opsForList().size(wake);
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Tasks: the idle worker took %.0f ms to work off the %d wake-ups left%n",
				(System.nanoTime() - start) / 1e6, size);
		Thread.sleep(100);
	}

	private static double printRuns(String name, List<Double> runs) {
		StringBuilder each = new StringBuilder();
		double best = 0;
		for (double run : runs) {
			each.append((each.length() > 0) ? ", " : "").append(Math.round(run));
			best = Math.max(best, run);
		}
		System.out.printf(Locale.ROOT, "  %-12s best %,7d jobs/s   (runs: %s)%n", name, Math.round(best), each);
		return best;
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private void summary(double[] enqueueBest, Drain at8, Drain at64, Drain twoNodes) {
		LatencyRecorder handled = at8.latencies()[0];
		double p50Millis = handled.percentileMicros(50) / 1000;
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Task summary: enqueue %,.0f jobs/s from 1 thread, %,.0f from %d; drain %,.0f jobs/s at 8,"
						+ " %,.0f at 64, %,.0f with %s; idle latency p50 %.3f ms, p99 %.3f ms%n",
				enqueueBest[0], enqueueBest[1], ENQUEUE_THREADS, at8.best(), at64.best(), twoNodes.best(),
				twoNodes.name(), p50Millis, handled.percentileMicros(99) / 1000);
		System.out.println();
		System.out.printf(Locale.ROOT, "Task targets (BullMQ's reference: %,.0f jobs/s at concurrency 8, %,.0f at 64,"
				+ " add-to-completed p50 %.0f ms)%n", BULLMQ_AT_8, BULLMQ_AT_64, BULLMQ_P50_MILLIS);
		throughputTarget(at8, BULLMQ_AT_8);
		throughputTarget(at64, BULLMQ_AT_64);
		System.out.printf(Locale.ROOT, "  %-36s %8.3f ms  %5.2fx BullMQ  (target < %.1f ms)          %s%n",
				"idle enqueue-to-handler p50", p50Millis, p50Millis / BULLMQ_P50_MILLIS, P50_TARGET_MILLIS,
				(p50Millis < P50_TARGET_MILLIS) ? "met" : "MISSED");
	}

	private static void throughputTarget(Drain drain, double bullmq) {
		double ratio = drain.best() / bullmq;
		System.out.printf(Locale.ROOT, "  %-36s %,8.0f /s  %5.2fx BullMQ  (target >= %.1fx, %,.0f /s)  %s%n",
				"jobs/s at max-processors " + drain.maxProcessors(), drain.best(), ratio, THROUGHPUT_TARGET,
				THROUGHPUT_TARGET * bullmq, (ratio >= THROUGHPUT_TARGET) ? "met" : "MISSED");
	}

	/**
	 * One round's drain: jobs per second, nanoseconds from the start of the worker until
	 * every job was done and until the last handler ran, Lua scripts Redis ran per job
	 * and claims until the last handler ran, and the CPU line.
	 */
	private record Round(double jobsPerSecond, long doneNanos, long ranNanos, double scriptsPerJob, long claims,
			String cpu) {
	}

	/**
	 * What a worker setup made: the best round, and the latencies if measured.
	 */
	private record Drain(String name, int maxProcessors, double best, LatencyRecorder[] latencies) {
	}

	/**
	 * The task, which does nothing but count its runs or, while latency is measured, note
	 * how long after the enqueue began it ran. Every worker node shares this one bean.
	 */
	static final class NoopTask {

		private final AtomicInteger ran = new AtomicInteger();

		private final BlockingQueue<Long> latencies = new LinkedBlockingQueue<>();

		private volatile int expected;

		private volatile CountDownLatch allRan = new CountDownLatch(0);

		private volatile long allRanAt;

		private volatile boolean timing;

		private volatile long enqueueStart;

		@ClusterTask(name = TASK)
		void run() {
			if (this.timing) {
				this.latencies.add(System.nanoTime() - this.enqueueStart);
				return;
			}
			if (this.ran.incrementAndGet() == this.expected) {
				this.allRanAt = System.nanoTime();
				this.allRan.countDown();
			}
		}

		void expect(int count) {
			this.ran.set(0);
			this.allRan = new CountDownLatch(1);
			this.expected = count;
		}

		/**
		 * Waits until the expected runs are done.
		 * @return when the last ran, {@link System#nanoTime()}
		 */
		long awaitAll(long timeoutSeconds) throws InterruptedException {
			if (!this.allRan.await(timeoutSeconds, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Only " + this.ran.get() + " of " + this.expected + " jobs ran");
			}
			return this.allRanAt;
		}

		void timing(boolean timing) {
			this.timing = timing;
			this.latencies.clear();
		}

		long markEnqueue() {
			long now = System.nanoTime();
			this.enqueueStart = now;
			return now;
		}

		long awaitRun(long timeoutSeconds) throws InterruptedException {
			Long elapsed = this.latencies.poll(timeoutSeconds, TimeUnit.SECONDS);
			if (elapsed == null) {
				throw new IllegalStateException("The job did not run within " + timeoutSeconds + " s");
			}
			return elapsed;
		}

	}

}
