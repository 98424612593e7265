package dev.cohort.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.internal.TaskWorker;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Cohort's task queue measured exactly as the BullMQ anchor ({@code bullmq/bench.mjs} of
 * the shared anchors) measures BullMQ, with BullMQ run in the same sitting, alternately
 * ({@code -Dbenchmark.task-runs}, 3 by default), and both printed side by side with their
 * ratio (see {@link TaskComparison}).
 * <p>
 * Cohort's side: a client node ({@code cluster.role} {@code server}) enqueues no-op jobs
 * ({@value NoopTask#NAME}, no arguments) with
 * {@link ClusterTasks#enqueue(String, Object)} and {@link ClusterTasks#enqueueAll(List)};
 * worker nodes run them at {@code cluster.tasks.max-processors}; every other setting is
 * the default. A job is done when the worker has recorded its end in Redis, which
 * {@link TaskCompletions} hears through the worker's {@code ClusterMetrics}, as BullMQ's
 * {@code completed} event tells it. Each measure gets a namespace of its own, deleted
 * afterwards, as bench.mjs obliterates its queue.
 * <p>
 * Then, once, the measures that have no BullMQ twin: draining a full queue, enqueueing
 * from {@link #ENQUEUE_THREADS} threads, and enqueueing while two workers are busy.
 */
final class TaskBenchmark {

	private static final int JOBS = TaskFigures.JOBS;

	private static final int CHUNK = TaskFigures.CHUNK;

	private static final List<JobRequest> CHUNK_OF_JOBS = Collections.nCopies(CHUNK,
			JobRequest.of(NoopTask.NAME, null));

	private static final int SINGLE_ADD_WARMUP = 3_000;

	private static final long SINGLE_ADD_SECONDS = 5;

	private static final int BULK_WARMUP = 2_000;

	/**
	 * A warm-up round as large as a measured one: the JVM compiles the worker's hot path
	 * only after thousands of jobs (bench.mjs warms BullMQ with 1,000, enough for Node).
	 */
	private static final int END_TO_END_WARMUP = JOBS;

	/** More than bench.mjs' 200, for the same reason as {@link #END_TO_END_WARMUP}. */
	private static final int LATENCY_WARMUP = 2_000;

	private static final int LATENCY_JOBS = 2_000;

	private static final long LATENCY_SECONDS = 10;

	private static final int DRAIN_WARMUP = 2_000;

	private static final int DRAIN_JOBS = 10_000;

	private static final int ENQUEUE_THREADS = 8;

	private static final long BUSY_WARMUP_SECONDS = 1;

	private static final long BUSY_SECONDS = 5;

	/** Jobs the feeder keeps waiting ahead of the busy workers. */
	private static final int BUSY_BACKLOG = 4_000;

	private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long BURN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long TIMEOUT_SECONDS = 120;

	static final String SINGLE_P50 = "single add p50 us";

	static final String SINGLE_P99 = "single add p99 us";

	static final String HANDLER_P50 = "idle enqueue-to-handler-start p50 us";

	static final String HANDLER_P99 = "idle enqueue-to-handler-start p99 us";

	static final String ENQUEUE_RETURN_P50 = "serial enqueue returned p50 us";

	private final String host;

	private final int port;

	private final ExecutorService threads;

	private final RedisCommands<String, String> redis;

	private TaskBenchmark(String host, int port, ExecutorService threads, RedisCommands<String, String> redis) {
		this.host = host;
		this.port = port;
		this.threads = threads;
		this.redis = redis;
	}

	/**
	 * Runs the task benchmark, and BullMQ's beside it where it can.
	 * @param host the Redis host
	 * @param port the Redis port
	 */
	static void run(String host, int port) throws Exception {
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "bench-tasks-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		RedisClient client = RedisClient.create(RedisURI.create(host, port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			new TaskBenchmark(host, port, threads, connection.sync()).run();
		}
		finally {
			threads.shutdownNow();
			client.shutdown();
		}
	}

	private void run() throws Exception {
		int runs = Math.max(1, Integer.getInteger("benchmark.task-runs", 3));
		long began = System.nanoTime();
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Tasks: no-op jobs (task %s, no arguments), measured as bench.mjs measures BullMQ; %d run(s) of"
						+ " Cohort and BullMQ alternately%n",
				NoopTask.NAME, runs);
		System.out.println("  uptime: " + uptime());
		SharedAnchor.Found found = SharedAnchor.find(SharedAnchor.BULLMQ);
		SharedAnchor anchor = found.anchor();
		String skipped = found.whyNot();
		if (anchor != null) {
			System.out.println("  BullMQ anchor: " + anchor.runSh());
		}
		TaskFigures cohort = new TaskFigures();
		TaskFigures bullmq = new TaskFigures();
		CpuMeter wholeCpu = CpuMeter.start();
		try {
			for (int run = 1; run <= runs; run++) {
				System.out.println();
				System.out.printf(Locale.ROOT, "Tasks run %d of %d, Cohort (load average %s)%n", run, runs,
						loadAverage());
				cohort.add(cohortRun(run));
				if (anchor != null && skipped == null) {
					System.out.printf(Locale.ROOT, "Tasks run %d of %d, BullMQ (load average %s)%n", run, runs,
							loadAverage());
					try {
						Map<String, Double> figures = anchor.run();
						figures.forEach((metric, value) -> System.out.printf(Locale.ROOT, "  %-48s %10s%n", metric,
								TaskFigures.format(value)));
						bullmq.add(figures);
					}
					catch (IOException | RuntimeException ex) {
						skipped = "run " + run + ": " + ex.getMessage();
					}
				}
			}
		}
		finally {
			if (anchor != null) {
				anchor.close();
			}
		}
		Map<String, Double> extras = new LinkedHashMap<>();
		drains(extras);
		busyEnqueue(extras);
		String cpuLine = wholeCpu.report().trim();

		Map<String, Double> best = cohort.best();
		best.putAll(extras);
		System.out.println();
		for (Map.Entry<String, Double> figure : best.entrySet()) {
			System.out
				.println("RESULT\tcohort-tasks\t" + figure.getKey() + "\t" + TaskFigures.format(figure.getValue()));
		}
		if (runs > 1) {
			System.out.println();
			System.out.println("Each run's figures (Cohort | BullMQ):");
			for (String metric : cohort.best().keySet()) {
				System.out.printf(Locale.ROOT, "  %-48s %s | %s%n", metric, cohort.each(metric),
						(bullmq.runs() > 0) ? bullmq.each(metric) : "-");
			}
		}
		if (skipped != null) {
			System.out.println();
			System.out.println("BullMQ comparison skipped: " + skipped);
		}
		String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
		TaskComparison.print(best, (bullmq.runs() > 0) ? bullmq.best() : null,
				when + ", commit " + commit() + ", " + cpuLine);
		System.out.printf(Locale.ROOT,
				"Idle single enqueue p50 %s us, p99 %s us; with two busy workers p50 %s us,"
						+ " p99 %s us (%s jobs/s)%n",
				fmt(best, SINGLE_P50), fmt(best, SINGLE_P99), fmt(best, BusyRun.P50.metric("")),
				fmt(best, BusyRun.P99.metric("")), fmt(best, BusyRun.RATE.metric("")));
		System.out.printf(Locale.ROOT, "Tasks took %.0f s in all%n", (System.nanoTime() - began) / 1e9);
	}

	private static String fmt(Map<String, Double> figures, String metric) {
		Double value = figures.get(metric);
		return (value != null) ? TaskFigures.format(value) : "-";
	}

	// ---- the measures bench.mjs makes
	// ----------------------------------------------------------

	private Map<String, Double> cohortRun(int run) throws Exception {
		Map<String, Double> figures = new LinkedHashMap<>();
		String enqueueOnly = "bench-tasks-enqueue-" + run;
		try (ConfigurableApplicationContext client = client(enqueueOnly)) {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			singleAdd(tasks, figures);
			bulkAdd(tasks, figures);
		}
		deleteNamespace(enqueueOnly);
		String namespace = "bench-tasks-" + run;
		try (ConfigurableApplicationContext client = client(namespace)) {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			endToEnd(tasks, namespace, 8, figures);
			endToEnd(tasks, namespace, 64, figures);
			serial(tasks, namespace, figures);
		}
		deleteNamespace(namespace);
		return figures;
	}

	/**
	 * bench.mjs' single add: awaited enqueues one after another from one thread, no
	 * worker, for {@value #SINGLE_ADD_SECONDS} s or {@value TaskFigures#JOBS} jobs; after
	 * an unmeasured warm-up of the JVM.
	 */
	private void singleAdd(ClusterTasks tasks, Map<String, Double> figures) {
		for (int i = 0; i < SINGLE_ADD_WARMUP; i++) {
			tasks.enqueue(NoopTask.NAME, null);
		}
		LatencyRecorder latency = new LatencyRecorder(JOBS);
		Map<String, Long> commands = commandStats();
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(SINGLE_ADD_SECONDS);
		long now = start;
		int count = 0;
		while (count < JOBS && now < deadline) {
			long before = now;
			tasks.enqueue(NoopTask.NAME, null);
			now = System.nanoTime();
			latency.record(now - before);
			count++;
		}
		double rate = count / seconds(now - start);
		figures.put(TaskFigures.SINGLE_ADD, rate);
		figures.put(SINGLE_P50, latency.percentileMicros(50));
		figures.put(SINGLE_P99, latency.percentileMicros(99));
		System.out.printf(Locale.ROOT, "  single add: %,.0f jobs/s (%d jobs), p50 %.1f us, p99 %.1f us%n", rate, count,
				latency.percentileMicros(50), latency.percentileMicros(99));
		System.out.println("    Redis commands a job: " + commandsPerJob(commands, count));
	}

	/**
	 * bench.mjs' addBulk: {@value TaskFigures#JOBS} jobs in {@code enqueueAll} chunks of
	 * {@value TaskFigures#CHUNK} from one caller, no worker (after a short warm-up of
	 * that path, which the JVM needs and Node does not get).
	 */
	private void bulkAdd(ClusterTasks tasks, Map<String, Double> figures) {
		addInChunks(tasks, BULK_WARMUP);
		Map<String, Long> commands = commandStats();
		long start = System.nanoTime();
		addInChunks(tasks, JOBS);
		double rate = JOBS / seconds(System.nanoTime() - start);
		figures.put(TaskFigures.BULK_ADD, rate);
		System.out.printf(Locale.ROOT, "  addBulk: %,.0f jobs/s%n", rate);
		System.out.println("    Redis commands a job: " + commandsPerJob(commands, JOBS));
	}

	private static void addInChunks(ClusterTasks tasks, int count) {
		for (int added = 0; added < count; added += CHUNK) {
			tasks.enqueueAll(CHUNK_OF_JOBS.subList(0, Math.min(CHUNK, count - added)));
		}
	}

	/**
	 * bench.mjs' end to end: the worker runs first; after a warm-up of
	 * {@value #END_TO_END_WARMUP} jobs, the time from the first {@code enqueueAll} of
	 * {@value TaskFigures#JOBS} jobs until the last is done.
	 */
	private void endToEnd(ClusterTasks tasks, String namespace, int concurrency, Map<String, Double> figures)
			throws Exception {
		TaskCompletions completions = new TaskCompletions();
		try (ConfigurableApplicationContext worker = worker(namespace, concurrency, completions, new NoopTask())) {
			CompletableFuture<Long> warm = completions.expect(END_TO_END_WARMUP);
			addInChunks(tasks, END_TO_END_WARMUP);
			warm.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			CompletableFuture<Long> all = completions.expect(JOBS);
			Map<String, Long> commands = commandStats();
			CpuMeter cpu = CpuMeter.start();
			long start = System.nanoTime();
			addInChunks(tasks, JOBS);
			long added = System.nanoTime();
			long done = all.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			double rate = JOBS / seconds(done - start);
			figures.put(TaskFigures.endToEnd(concurrency), rate);
			System.out.printf(Locale.ROOT,
					"  end to end c=%d: %,.0f jobs/s (all added after %.2f s, all done after %.2f s)%s%n", concurrency,
					rate, seconds(added - start), seconds(done - start), notDone(completions));
			String cpuLine = cpu.report();
			System.out.println("    Redis commands a job: " + commandsPerJob(commands, JOBS));
			Benchmarks.printIfAny(cpuLine);
		}
	}

	/**
	 * bench.mjs' serial add-to-completed: one job at a time to an idle worker
	 * (max-processors 8), from just before the enqueue until its end is recorded;
	 * {@value #LATENCY_WARMUP} warm-up jobs, then {@value #LATENCY_JOBS} or
	 * {@value #LATENCY_SECONDS} s. Also when the enqueue returned and when the handler
	 * started, to show where the time goes.
	 */
	private void serial(ClusterTasks tasks, String namespace, Map<String, Double> figures) throws Exception {
		TaskCompletions completions = new TaskCompletions();
		NoopTask task = new NoopTask();
		try (ConfigurableApplicationContext worker = worker(namespace, 8, completions, task)) {
			for (int i = 0; i < LATENCY_WARMUP; i++) {
				CompletableFuture<Long> done = completions.expect(1);
				tasks.enqueue(NoopTask.NAME, null);
				done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
			LatencyRecorder completed = new LatencyRecorder(LATENCY_JOBS);
			LatencyRecorder returned = new LatencyRecorder(LATENCY_JOBS);
			LatencyRecorder started = new LatencyRecorder(LATENCY_JOBS);
			CpuMeter cpu = CpuMeter.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LATENCY_SECONDS);
			long sum = 0;
			while (completed.count() < LATENCY_JOBS && System.nanoTime() < deadline) {
				CompletableFuture<Long> done = completions.expect(1);
				long start = System.nanoTime();
				tasks.enqueue(NoopTask.NAME, null);
				returned.record(System.nanoTime() - start);
				long end = done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
				completed.record(end - start);
				started.record(task.lastStart() - start);
				sum += end - start;
			}
			figures.put(TaskFigures.SERIAL_P50, completed.percentileMicros(50));
			figures.put(TaskFigures.SERIAL_P99, completed.percentileMicros(99));
			figures.put(TaskFigures.SERIAL_MEAN, completed.meanMicros());
			figures.put(TaskFigures.SERIAL_RATE, completed.count() / seconds(sum));
			figures.put(ENQUEUE_RETURN_P50, returned.percentileMicros(50));
			figures.put(HANDLER_P50, started.percentileMicros(50));
			figures.put(HANDLER_P99, started.percentileMicros(99));
			System.out.printf(Locale.ROOT, "  serial, %d jobs one at a time, idle worker (max-processors 8),"
					+ " from just before enqueue:%s%n", completed.count(), notDone(completions));
			Benchmarks.print("enqueue ret.", returned);
			Benchmarks.print("handler ran", started);
			Benchmarks.print("end recorded", completed);
			Benchmarks.printIfAny(cpu.report());
		}
	}

	// ---- measures of Cohort's own
	// ----------------------------------------------------------------

	/**
	 * Drains of a full queue ({@value #DRAIN_JOBS} jobs, enqueued from
	 * {@value #ENQUEUE_THREADS} threads while the workers are stopped, then the workers
	 * started) at max-processors 8 and 64 and with two worker nodes; one warm-up round
	 * and one measured round each.
	 */
	private void drains(Map<String, Double> figures) throws Exception {
		String namespace = "bench-tasks-drain";
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Tasks, drain of a full queue: %d jobs enqueued from %d threads while the"
						+ " workers are stopped, then the workers started; after a warm-up round of %d%n",
				DRAIN_JOBS, ENQUEUE_THREADS, DRAIN_WARMUP);
		try (ConfigurableApplicationContext client = client(namespace)) {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			StringRedisTemplate template = client.getBean(StringRedisTemplate.class);
			double enqueueRate = 0;
			for (int[] setup : new int[][] { { 1, 8 }, { 1, 64 }, { 2, 8 } }) {
				int nodeCount = setup[0];
				int maxProcessors = setup[1];
				TaskCompletions completions = new TaskCompletions();
				NoopTask task = new NoopTask();
				List<ConfigurableApplicationContext> nodes = new ArrayList<>();
				try {
					List<TaskWorker> workers = new ArrayList<>();
					for (int i = 0; i < nodeCount; i++) {
						ConfigurableApplicationContext node = worker(namespace, maxProcessors, completions, task);
						nodes.add(node);
						workers.add(node.getBean(TaskWorker.class));
					}
					drainRound(tasks, template, workers, completions, DRAIN_WARMUP);
					Drain drain = drainRound(tasks, template, workers, completions, DRAIN_JOBS);
					enqueueRate = Math.max(enqueueRate, drain.enqueueRate());
					String name = (nodeCount == 1) ? "drain, max-processors " + maxProcessors + " jobs/s"
							: "drain, " + nodeCount + " worker nodes, max-processors " + maxProcessors + " each jobs/s";
					figures.put(name, drain.rate());
					System.out.printf(Locale.ROOT,
							"  %-52s %,7.0f (all done after %.2f s; %.2f scripts a job, %d claims of %.1f jobs"
									+ " each)%s%n",
							name, drain.rate(), seconds(drain.nanos()), drain.scriptsPerJob(), drain.claims(),
							DRAIN_JOBS / (double) Math.max(1, drain.claims()), notDone(completions));
					Benchmarks.printIfAny(drain.cpu());
				}
				finally {
					for (ConfigurableApplicationContext node : nodes) {
						node.close();
					}
				}
			}
			figures.put("enqueue from " + ENQUEUE_THREADS + " threads jobs/s", enqueueRate);
			System.out.printf(Locale.ROOT, "  enqueue from %d threads (filling the queue, best): %,.0f jobs/s%n",
					ENQUEUE_THREADS, enqueueRate);
		}
		deleteNamespace(namespace);
	}

	private Drain drainRound(ClusterTasks tasks, StringRedisTemplate template, List<TaskWorker> workers,
			TaskCompletions completions, int count) throws Exception {
		for (TaskWorker worker : workers) {
			worker.stop();
		}
		double enqueueRate = count / seconds(enqueueFromThreads(tasks, count));
		long[] scripts = scriptCalls(template);
		CompletableFuture<Long> all = completions.expect(count);
		CpuMeter cpu = CpuMeter.start();
		long start = System.nanoTime();
		for (TaskWorker worker : workers) {
			worker.start();
		}
		long done = all.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - start;
		long[] scriptsAfter = scriptCalls(template);
		return new Drain(count / seconds(done), done, enqueueRate, (scriptsAfter[0] - scripts[0]) / (double) count,
				scriptsAfter[1] - scripts[1], cpu.report());
	}

	/**
	 * Enqueues jobs from {@value #ENQUEUE_THREADS} threads, each its share.
	 * @return the nanoseconds from the start until the last enqueue returned
	 */
	private long enqueueFromThreads(ClusterTasks tasks, int count) throws Exception {
		return enqueueFromThreads(tasks, count, this.threads, ENQUEUE_THREADS);
	}

	/**
	 * Enqueues no-op jobs from threads at once, each its share.
	 * @param tasks where to enqueue
	 * @param count the jobs
	 * @param threads runs the enqueuers
	 * @param threadCount how many enqueue at once, at most the executor's threads
	 * @return the nanoseconds from the start until the last enqueue returned
	 */
	static long enqueueFromThreads(ClusterTasks tasks, int count, ExecutorService threads, int threadCount)
			throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> enqueuers = new ArrayList<>(threadCount);
		for (int thread = 0; thread < threadCount; thread++) {
			int share = count / threadCount + ((thread < count % threadCount) ? 1 : 0);
			enqueuers.add(threads.submit(() -> {
				go.await();
				for (int i = 0; i < share; i++) {
					tasks.enqueue(NoopTask.NAME, null);
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
	 * How many Lua scripts ({@code EVALSHA}) and claims Redis ran so far, from
	 * {@code INFO commandstats}, which counts the commands scripts call too: only
	 * {@code claim.lua} calls {@code ZRANGEBYSCORE}, twice a claim.
	 * @return scripts and claims
	 */
	private static long[] scriptCalls(StringRedisTemplate template) {
		Properties stats = template
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
	 * The case: awaited single enqueues from one caller while two worker nodes
	 * (max-processors 8 each) are kept busy by a feeder that keeps {@value #BUSY_BACKLOG}
	 * jobs waiting; once with no-op jobs, once with jobs that spin for 1 ms, to see
	 * whether busy worker threads starve the caller of CPU.
	 */
	private void busyEnqueue(Map<String, Double> figures) throws Exception {
		String namespace = "bench-tasks-busy";
		System.out.println();
		System.out.printf(Locale.ROOT, "Tasks, enqueue with busy workers: one caller enqueues one job at a time"
				+ " for %d s, while 2 worker nodes (max-processors 8 each, same JVM) drain a backlog of up to %d"
				+ " jobs that a feeder thread tops up with enqueueAll%n", BUSY_SECONDS, BUSY_BACKLOG);
		TaskCompletions completions = new TaskCompletions();
		NoopTask task = new NoopTask();
		try (ConfigurableApplicationContext client = client(namespace);
				ConfigurableApplicationContext first = worker(namespace, 8, completions, task);
				ConfigurableApplicationContext second = worker(namespace, 8, completions, task)) {
			ClusterTasks tasks = client.getBean(ClusterTasks.class);
			LatencyRecorder idlePings = pings(PING_NANOS);
			System.out.printf(Locale.ROOT, "  a plain PING from this JVM, workers idle: p50 %.1f us, p99 %.1f us%n",
					idlePings.percentileMicros(50), idlePings.percentileMicros(99));
			busyRun(tasks, completions, task, 0, "", figures);
			busyRun(tasks, completions, task, BURN_NANOS, " (handler spins 1 ms)", figures);
		}
		deleteNamespace(namespace);
	}

	private void busyRun(ClusterTasks tasks, TaskCompletions completions, NoopTask task, long burnNanos, String suffix,
			Map<String, Double> figures) throws Exception {
		task.burn(burnNanos);
		Semaphore credits = new Semaphore(BUSY_BACKLOG);
		completions.onEach(credits::release);
		AtomicBoolean feeding = new AtomicBoolean(true);
		Future<?> feeder = this.threads.submit(() -> {
			while (feeding.get()) {
				if (credits.tryAcquire(CHUNK, 100, TimeUnit.MILLISECONDS)) {
					tasks.enqueueAll(CHUNK_OF_JOBS);
				}
			}
			return null;
		});
		try {
			// The warm-up is the same loop, unmeasured: it also lets the backlog build.
			enqueueFor(tasks, TimeUnit.SECONDS.toNanos(BUSY_WARMUP_SECONDS), null);
			LatencyRecorder busyPings = pings(PING_NANOS);
			LatencyRecorder latency = new LatencyRecorder(1_000_000);
			long doneBefore = completions.total();
			CpuMeter cpu = CpuMeter.start();
			long elapsed = enqueueFor(tasks, TimeUnit.SECONDS.toNanos(BUSY_SECONDS), latency);
			String cpuLine = cpu.report();
			double workerRate = (completions.total() - doneBefore) / seconds(elapsed);
			double rate = latency.count() / seconds(elapsed);
			figures.put(BusyRun.P50.metric(suffix), latency.percentileMicros(50));
			figures.put(BusyRun.P99.metric(suffix), latency.percentileMicros(99));
			figures.put(BusyRun.RATE.metric(suffix), rate);
			System.out.printf(Locale.ROOT,
					"  %s: the caller %,.0f jobs/s, p50 %.1f us, p99 %.1f us, mean %.1f us;"
							+ " the workers did %,.0f jobs/s%s%n",
					suffix.isEmpty() ? "no-op jobs" : suffix.trim(), rate, latency.percentileMicros(50),
					latency.percentileMicros(99), latency.meanMicros(), workerRate, notDone(completions));
			Benchmarks.printIfAny(cpuLine);
			System.out.printf(Locale.ROOT,
					"    a plain PING from this JVM meanwhile (just before): p50 %.1f us, p99 %.1f us%n",
					busyPings.percentileMicros(50), busyPings.percentileMicros(99));
		}
		finally {
			feeding.set(false);
			feeder.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			completions.onEach(() -> {
			});
		}
	}

	/**
	 * Serial {@code PING}s over the benchmark's own Lettuce connection: the round trip to
	 * Redis that any enqueue pays at least once, to tell a slow Redis or a starved JVM
	 * from time spent in Cohort.
	 */
	private LatencyRecorder pings(long nanos) {
		LatencyRecorder latency = new LatencyRecorder(1_000_000);
		long deadline = System.nanoTime() + nanos;
		long now = System.nanoTime();
		while (now < deadline) {
			long before = now;
			this.redis.ping();
			now = System.nanoTime();
			latency.record(now - before);
		}
		return latency;
	}

	/**
	 * Awaited single enqueues for a while.
	 * @return the nanoseconds it took
	 */
	private static long enqueueFor(ClusterTasks tasks, long nanos, LatencyRecorder latency) {
		long start = System.nanoTime();
		long deadline = start + nanos;
		long now = start;
		while (now < deadline) {
			long before = now;
			tasks.enqueue(NoopTask.NAME, null);
			now = System.nanoTime();
			if (latency != null) {
				latency.record(now - before);
			}
		}
		return now - start;
	}

	// ---- nodes and housekeeping
	// ------------------------------------------------------------------

	private ConfigurableApplicationContext client(String namespace) {
		return BenchmarkNode.start(this.host, this.port, namespace, Map.of("cluster.role", "server"));
	}

	private ConfigurableApplicationContext worker(String namespace, int maxProcessors, TaskCompletions completions,
			NoopTask task) {
		return BenchmarkNode.start(this.host, this.port, namespace,
				Map.of("cluster.role", "worker", "cluster.tasks.max-processors", maxProcessors), task, completions);
	}

	/**
	 * Deletes every key of a namespace once its nodes are closed, as bench.mjs
	 * obliterates its queue, so that no measure starts with another's jobs.
	 */
	private void deleteNamespace(String namespace) {
		ScanArgs match = ScanArgs.Builder.matches("*" + namespace + ":*").limit(1_000);
		KeyScanCursor<String> cursor = this.redis.scan(match);
		while (true) {
			if (!cursor.getKeys().isEmpty()) {
				this.redis.unlink(cursor.getKeys().toArray(String[]::new));
			}
			if (cursor.isFinished()) {
				return;
			}
			cursor = this.redis.scan(ScanCursor.of(cursor.getCursor()), match);
		}
	}

	/**
	 * Calls of each command Redis ran so far, from {@code INFO commandstats}, which
	 * counts the commands scripts call too.
	 */
	private Map<String, Long> commandStats() {
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : this.redis.info("commandstats").split("\\r?\\n")) {
			int colon = line.indexOf(':');
			int start = line.indexOf("calls=");
			if (line.startsWith("cmdstat_") && colon > 0 && start > 0) {
				int end = line.indexOf(',', start);
				calls.put(line.substring("cmdstat_".length(), colon),
						Long.parseLong(line.substring(start + "calls=".length(), (end > 0) ? end : line.length())));
			}
		}
		return calls;
	}

	/**
	 * The commands Redis ran for each job since a {@link #commandStats()}, the
	 * benchmark's own {@code INFO} left out, to show where a job's round trips go.
	 */
	private String commandsPerJob(Map<String, Long> before, int jobs) {
		StringBuilder line = new StringBuilder();
		commandStats().forEach((command, calls) -> {
			double perJob = (calls - before.getOrDefault(command, 0L)) / (double) jobs;
			// A bulk step runs a command for many jobs: show down to one in a thousand.
			if (perJob >= 0.0005 && !command.equals("info")) {
				line.append((line.length() > 0) ? ", " : "")
					.append(command)
					.append(' ')
					.append(String.format(Locale.ROOT, (perJob >= 0.1) ? "%.2f" : "%.3f", perJob));
			}
		});
		return line.append(" (scripts' own commands included)").toString();
	}

	private static String notDone(TaskCompletions completions) {
		return (completions.notDone() > 0) ? "; " + completions.notDone() + " runs did not end as done!" : "";
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static String uptime() {
		String line = command("uptime");
		return (line != null) ? line.trim() : "load average " + loadAverage();
	}

	private static String commit() {
		String line = command("git", "rev-parse", "--short", "HEAD");
		return (line != null) ? line.trim() : "unknown";
	}

	/**
	 * Runs a quick command.
	 * @return its first line of output, or {@code null} if it failed
	 */
	private static String command(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String line;
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				line = output.readLine();
				while (output.readLine() != null) {
					// drain it, so that the command can end
				}
			}
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			return (process.exitValue() == 0) ? line : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * The figures of a measure with busy workers.
	 */
	enum BusyRun {

		P50("enqueue p50 us with busy workers"), P99("enqueue p99 us with busy workers"),
		RATE("enqueue jobs/s with busy workers");

		private final String metric;

		BusyRun(String metric) {
			this.metric = metric;
		}

		String metric(String suffix) {
			return this.metric + suffix;
		}

	}

	/**
	 * One measured drain: jobs per second, nanoseconds until all were done, the rate of
	 * the enqueue that filled the queue, Lua scripts a job, claims, and the CPU line.
	 */
	private record Drain(double rate, long nanos, double enqueueRate, double scriptsPerJob, long claims, String cpu) {
	}

}
