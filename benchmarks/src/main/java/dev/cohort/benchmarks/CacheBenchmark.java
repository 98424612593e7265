package dev.cohort.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Cohort's {@code ClusterCache.save} and {@code load} of a 100-byte value against their
 * floor, raw Lettuce {@code SET} and {@code GET} of the same bytes, on the same Redis:
 * serial latency (one caller) and throughput with {@link #THREADS} threads calling the
 * synchronous API of each. Both write and read the same {@link #KEYS} keys, each side in
 * its own key space. Blocks and runs of the floor and of Cohort alternate, the one that
 * goes first changing each time, so that drift of the machine affects both alike.
 */
final class CacheBenchmark {

	/** How many distinct keys the operations go round. */
	static final int KEYS = 1_000;

	private static final String NAMESPACE = "bench-cache";

	/**
	 * The floor's keys, shaped and sized like Cohort's
	 * ({@code <namespace>:cache:{<key>}}).
	 */
	private static final String RAW_PREFIX = "bench-floor:cache:{";

	private static final int WARMUP = 5_000;

	private static final int BLOCKS = 10;

	private static final int PER_BLOCK = 2_000;

	private static final int THREADS = 64;

	private static final long THROUGHPUT_WARMUP_MILLIS = 2_000;

	private static final long THROUGHPUT_RUN_MILLIS = 3_000;

	private static final int THROUGHPUT_RUNS = 3;

	private static final double TARGET = 0.8;

	private final ExecutorService threads;

	private final List<Pair> pairs;

	private int nextKey;

	private CacheBenchmark(ExecutorService threads, List<Pair> pairs) {
		this.threads = threads;
		this.pairs = pairs;
	}

	/**
	 * Runs the cache benchmark on its own node and connection.
	 * @param host the Redis host
	 * @param port the Redis port
	 */
	static void run(String host, int port) throws Exception {
		String[] keys = new String[KEYS];
		for (int i = 0; i < KEYS; i++) {
			keys[i] = String.format(Locale.ROOT, "key-%04d", i);
		}
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS, (task) -> {
			Thread thread = new Thread(task, "bench-cache-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		try (CacheClient raw = new RawLettuceCache(host, port, RAW_PREFIX, keys);
				CacheClient cohort = new CohortCache(host, port, NAMESPACE, keys)) {
			List<Pair> pairs = List.of(
					new Pair("save / SET", new Operation("raw SET", raw::write),
							new Operation("Cohort save", cohort::write)),
					new Pair("load / GET", new Operation("raw GET", raw::read),
							new Operation("Cohort load", cohort::read)));
			new CacheBenchmark(threads, pairs).run();
		}
		finally {
			threads.shutdownNow();
		}
	}

	private void run() throws Exception {
		for (int key = 0; key < KEYS; key++) {
			for (Pair pair : this.pairs) {
				pair.raw().call().accept(key);
				pair.cohort().call().accept(key);
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Cache: a %d-character String, %d bytes as JSON in Redis, under %d keys; warming up%n",
				Payloads.CACHE_VALUE.length(), Payloads.CACHE_VALUE_JSON.length(), KEYS);
		for (Pair pair : this.pairs) {
			opsPerSecond(pair.raw(), THROUGHPUT_WARMUP_MILLIS);
			opsPerSecond(pair.cohort(), THROUGHPUT_WARMUP_MILLIS);
		}
		for (int i = 0; i < WARMUP; i++) {
			for (Pair pair : this.pairs) {
				pair.raw().call().accept(key());
				pair.cohort().call().accept(key());
			}
		}
		serial();
		throughput();
		summary();
	}

	private void serial() {
		CpuMeter cpu = CpuMeter.start();
		for (int block = 0; block < BLOCKS; block++) {
			for (Pair pair : this.pairs) {
				boolean rawFirst = block % 2 == 0;
				measure(rawFirst ? pair.raw() : pair.cohort());
				measure(rawFirst ? pair.cohort() : pair.raw());
			}
		}
		System.out.println();
		System.out.println("Cache, serial (one caller), " + BLOCKS * PER_BLOCK + " operations each");
		for (Pair pair : this.pairs) {
			Benchmarks.print(pair.raw().name(), pair.raw().latency());
			Benchmarks.print(pair.cohort().name(), pair.cohort().latency());
		}
		Benchmarks.printIfAny(cpu.report());
	}

	private void measure(Operation operation) {
		for (int i = 0; i < PER_BLOCK; i++) {
			int key = key();
			long start = System.nanoTime();
			operation.call().accept(key);
			operation.latency().record(System.nanoTime() - start);
		}
	}

	private int key() {
		int key = this.nextKey;
		this.nextKey = (key + 1) % KEYS;
		return key;
	}

	private void throughput() throws Exception {
		CpuMeter cpu = CpuMeter.start();
		for (int run = 0; run < THROUGHPUT_RUNS; run++) {
			for (Pair pair : this.pairs) {
				boolean rawFirst = run % 2 == 0;
				Operation first = rawFirst ? pair.raw() : pair.cohort();
				Operation second = rawFirst ? pair.cohort() : pair.raw();
				first.runs().add(opsPerSecond(first, THROUGHPUT_RUN_MILLIS));
				second.runs().add(opsPerSecond(second, THROUGHPUT_RUN_MILLIS));
			}
		}
		System.out.println();
		System.out.println("Cache, throughput with " + THREADS + " threads calling the synchronous API, "
				+ THROUGHPUT_RUN_MILLIS / 1000 + " s a run, best of " + THROUGHPUT_RUNS);
		for (Pair pair : this.pairs) {
			printRuns(pair.raw());
			printRuns(pair.cohort());
		}
		Benchmarks.printIfAny(cpu.report());
	}

	private static void printRuns(Operation operation) {
		StringBuilder each = new StringBuilder();
		for (double run : operation.runs()) {
			each.append((each.length() > 0) ? ", " : "").append(Math.round(run));
		}
		System.out.printf(Locale.ROOT, "  %-12s best %7d ops/s   (runs: %s)%n", operation.name(),
				Math.round(operation.best()), each);
	}

	/**
	 * Lets every thread call the operation in a loop, each going round the keys from a
	 * place of its own, until the time is up.
	 * @return operations per second, from the start to the end of the last one
	 */
	private double opsPerSecond(Operation operation, long millis) throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<Long>> counts = new ArrayList<>(THREADS);
		for (int thread = 0; thread < THREADS; thread++) {
			int first = thread * (KEYS / THREADS);
			counts.add(this.threads.submit(() -> {
				go.await();
				long end = deadline.get();
				long count = 0;
				int key = first;
				while (System.nanoTime() - end < 0) {
					operation.call().accept(key);
					key = (key + 1) % KEYS;
					count++;
				}
				return count;
			}));
		}
		long start = System.nanoTime();
		deadline.set(start + TimeUnit.MILLISECONDS.toNanos(millis));
		go.countDown();
		long total = 0;
		for (Future<Long> count : counts) {
			total += count.get();
		}
		return total / ((System.nanoTime() - start) / 1e9);
	}

	private void summary() {
		System.out.println();
		System.out.println("Cache, Cohort against raw Lettuce");
		System.out.printf(Locale.ROOT, "  %-11s %10s %10s %10s %10s %12s %12s%n", "", "raw p50", "Cohort p50",
				"raw p99", "Cohort p99", "raw ops/s", "Cohort ops/s");
		for (Pair pair : this.pairs) {
			LatencyRecorder raw = pair.raw().latency();
			LatencyRecorder cohort = pair.cohort().latency();
			System.out.printf(Locale.ROOT, "  %-11s %7.1f us %7.1f us %7.1f us %7.1f us %12d %12d%n", pair.name(),
					raw.percentileMicros(50), cohort.percentileMicros(50), raw.percentileMicros(99),
					cohort.percentileMicros(99), Math.round(pair.raw().best()), Math.round(pair.cohort().best()));
		}
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Cache targets (throughput ratio = Cohort ops/s / raw ops/s, latency ratio = raw p50 / Cohort p50;"
						+ " each >= %.2f)%n",
				TARGET);
		for (Pair pair : this.pairs) {
			target(pair.name() + " throughput ratio", pair.throughputRatio(), "");
			target(pair.name() + " latency ratio", pair.latencyRatio(),
					String.format(Locale.ROOT, " (Cohort p50 is %.2fx raw)", 1 / pair.latencyRatio()));
		}
	}

	private static void target(String name, double ratio, String note) {
		String met = (ratio >= TARGET) ? "met" : "MISSED";
		System.out.println(String.format(Locale.ROOT, "  %-32s %5.2f  %-6s%s", name, ratio, met, note).stripTrailing());
	}

	/**
	 * One operation of one side, with what was measured of it.
	 */
	private record Operation(String name, IntConsumer call, LatencyRecorder latency, List<Double> runs) {

		Operation(String name, IntConsumer call) {
			this(name, call, new LatencyRecorder(BLOCKS * PER_BLOCK), new ArrayList<>());
		}

		double best() {
			return this.runs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
		}

	}

	/**
	 * An operation of the floor and the same operation of Cohort.
	 */
	private record Pair(String name, Operation raw, Operation cohort) {

		double latencyRatio() {
			return this.raw.latency().percentileMicros(50) / this.cohort.latency().percentileMicros(50);
		}

		double throughputRatio() {
			return this.cohort.best() / this.raw.best();
		}

	}

}
