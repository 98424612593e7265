package dev.cohort.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.cohort.test.redis.RedisServer;

/**
 * Runs Cohort's benchmarks side by side with their raw-Lettuce floor on one
 * {@code redis-server} of its own, and prints the ratios. Blocks of the two alternate, so
 * that drift of the machine affects both alike.
 * <p>
 * Run with {@code ./mvnw -q -pl benchmarks -am -DskipTests -Pbenchmark verify}, and
 * {@code -Dbenchmark.args=pubsub}, {@code -Dbenchmark.args=rpc} (both:
 * {@code -Dbenchmark.args=messaging}), {@code -Dbenchmark.args=cache},
 * {@code -Dbenchmark.args=tasks} or {@code -Dbenchmark.args=connections} for one of them.
 * The task queue has no floor of its own: {@link TaskBenchmark} runs BullMQ's anchor (the
 * shared anchors' {@code run.sh}) in the same sitting and sets the two side by side
 * ({@code -Dbenchmark.task-runs=N} alternations, {@code -Dbenchmark.anchors=<folder>} to
 * find it). Connections and chat rooms have no floor either: {@link ConnectionsBenchmark}
 * holds theirs against the target. {@code -Dbenchmark.args=durability}, not part
 * of {@code all}, sets enqueues with {@code cluster.redis.wait-replicas} 0 and 1 side by
 * side on a master with one replica ({@link DurabilityBenchmark}).
 */
public final class Benchmarks {

	private static final int WARMUP = 3_000;

	private static final int BLOCKS = 10;

	private static final int PER_BLOCK = 1_000;

	private static final int IN_FLIGHT = 64;

	private static final int THROUGHPUT_WARMUP = 20_000;

	private static final int THROUGHPUT_CALLS = 20_000;

	private static final int THROUGHPUT_RUNS = 3;

	private static final double CALL_P50_TARGET = 1.3;

	/** Issue 17: the p99 of a call at most twice the floor's. */
	private static final double CALL_P99_TARGET = 2;

	private static final double THROUGHPUT_TARGET = 0.7;

	private static final double BROADCAST_P50_TARGET = 1.5;

	private static long sequence;

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "all";
		if (!List.of("all", "messaging", "pubsub", "rpc", "cache", "tasks", "connections", "durability")
			.contains(which)) {
			System.err.println("Unknown benchmark '" + which
					+ "': use all, messaging (pubsub and rpc), pubsub, rpc, cache, tasks, connections or durability");
			System.exit(2);
		}
		if (which.equals("durability")) {
			// Its own master and replica, and not part of 'all'.
			DurabilityBenchmark.run();
			System.exit(0);
		}
		try (RedisServer redis = RedisServer.start()) {
			System.out.printf("Redis %s, Java %s, %d cores%n", redis.uri(), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors());
			boolean messaging = which.equals("all") || which.equals("messaging");
			if (messaging || which.equals("pubsub")) {
				pubSub(redis);
			}
			if (messaging || which.equals("rpc")) {
				rpc(redis);
			}
			if (which.equals("all") || which.equals("cache")) {
				CacheBenchmark.run(redis.host(), redis.port());
			}
			if (which.equals("all") || which.equals("tasks")) {
				TaskBenchmark.run(redis.host(), redis.port());
			}
			if (which.equals("all") || which.equals("connections")) {
				ConnectionsBenchmark.run(redis.host(), redis.port());
			}
		}
		System.exit(0);
	}

	private static void pubSub(RedisServer redis) throws Exception {
		try (RoundTrip raw = new RawLettuceRpc(redis.host(), redis.port(), "raw");
				RoundTrip cohort = new CohortPubSubRoundTrip(redis.host(), redis.port(), "bench-pubsub", true);
				RoundTrip nonBlocking = new CohortPubSubRoundTrip(redis.host(), redis.port(), "bench-pubsub-nb",
						false)) {
			Comparison blocking = compare("pub/sub round trip (A publishes, B's handler answers, A waits)",
					"raw Lettuce", raw, "Cohort", cohort, "Cohort/raw");
			Comparison inline = compare(
					"pub/sub round trip, handlers subscribed non-blocking (run on the receiving"
							+ " thread; B answers with publishToAsync)",
					"raw Lettuce", raw, "Cohort", nonBlocking, "Cohort/raw");
			System.out.println();
			System.out.println("Pub/sub targets");
			pubSubTargets("", blocking);
			pubSubTargets(", non-blocking", inline);
		}
	}

	private static void pubSubTargets(String suffix, Comparison comparison) {
		target("round trip p50 <= 1.3x floor" + suffix, comparison.p50Ratio(),
				comparison.p50Ratio() <= CALL_P50_TARGET);
		target("round trip p99 <= 2x floor p99" + suffix, comparison.p99Ratio(),
				comparison.p99Ratio() <= CALL_P99_TARGET);
	}

	private static void rpc(RedisServer redis) throws Exception {
		RpcFigures cohort = rpc(redis, true);
		RpcFigures nonBlocking = rpc(redis, false);
		redissonRpc(cohort, nonBlocking);
	}

	/**
	 * Runs the shared anchors' {@code redisson-rpc} scenario (Redisson's
	 * {@code RRemoteService}, an echo between two clients, serial and with 64 calls in
	 * flight, on a {@code redis-server} of its own) right after Cohort's RPC part, and
	 * sets Cohort's figures beside it.
	 */
	private static void redissonRpc(RpcFigures cohort, RpcFigures nonBlocking) throws Exception {
		System.out.println();
		SharedAnchor.Found found = SharedAnchor.find(SharedAnchor.REDISSON_RPC);
		if (found.anchor() == null) {
			System.out.println("RPC against Redisson RRemoteService: not run (" + found.whyNot() + ")");
			return;
		}
		try (SharedAnchor anchor = found.anchor()) {
			System.out.println("RPC against Redisson RRemoteService (shared anchors' " + SharedAnchor.REDISSON_RPC
					+ ", " + anchor.runSh() + ", right after Cohort's part)");
			Map<String, Double> redisson = anchor.run();
			double p50 = redisson.getOrDefault("serial p50 us", Double.NaN);
			double throughput = redisson.getOrDefault("64-inflight ops/s", Double.NaN);
			printRedisson("Redisson (with ack)", redisson, "");
			printRedisson("Redisson (noAck)", redisson, "noAck ");
			printBesideRedisson("Cohort", cohort, p50, throughput);
			printBesideRedisson("Cohort, non-blocking", nonBlocking, p50, throughput);
		}
		catch (IOException | RuntimeException ex) {
			System.out.println("RPC against Redisson RRemoteService: failed (" + ex.getMessage() + ")");
		}
	}

	/** One of the anchor's two ways of calling, by the prefix of its metric names. */
	private static void printRedisson(String name, Map<String, Double> redisson, String prefix) {
		System.out.printf(Locale.ROOT, "  %-34s p50 %8.1f us   p99 %8.1f us   64 in flight %8.0f calls/s%n", name,
				redisson.getOrDefault(prefix + "serial p50 us", Double.NaN),
				redisson.getOrDefault(prefix + "serial p99 us", Double.NaN),
				redisson.getOrDefault(prefix + "64-inflight ops/s", Double.NaN));
	}

	private static void printBesideRedisson(String name, RpcFigures figures, double redissonP50,
			double redissonThroughput) {
		System.out.printf(Locale.ROOT,
				"  %-34s p50 %8.1f us   p99 %8.1f us   64 in flight %8.0f calls/s;"
						+ " ratio to Redisson (with ack): p50 %.2fx, throughput %.1fx%n",
				name, figures.p50Micros(), figures.p99Micros(), figures.callsPerSecond(),
				figures.p50Micros() / redissonP50, figures.callsPerSecond() / redissonThroughput);
	}

	/**
	 * Cohort's RPC figures of one part.
	 */
	private record RpcFigures(double p50Micros, double p99Micros, double callsPerSecond) {
	}

	/**
	 * The RPC part, with {@code bench.echo} exposed as a method that may block (the
	 * default, run on an RPC thread) or as one that promises not to (run on the thread
	 * that received the call).
	 */
	private static RpcFigures rpc(RedisServer redis, boolean blocking) throws Exception {
		String how = blocking ? "" : ", bench.echo exposed non-blocking (runs on the receiving thread)";
		String suffix = blocking ? "" : "-nb";
		Comparison serial;
		double[] throughput;
		try (RawLettuceRpc raw = new RawLettuceRpc(redis.host(), redis.port(), "raw-rpc" + suffix);
				CohortRpc cohort = new CohortRpc(redis.host(), redis.port(), "bench-rpc" + suffix, 2, blocking)) {
			serial = compare("RPC call, serial (A calls B's bench.echo, which returns its argument; A waits)" + how,
					"raw Lettuce", raw, "Cohort", cohort, "Cohort/raw");
			throughput = throughput(raw, cohort);
		}
		Comparison broadcast;
		try (CohortRpc three = new CohortRpc(redis.host(), redis.port(), "bench-rpc-broadcast" + suffix, 3, blocking)) {
			broadcast = compare(
					"RPC broadcast to three nodes (A broadcasts; A, B and C answer) against a call from A to B,"
							+ " in the same three-node cluster" + how,
					"call to B", three, "broadcast", three.broadcast(), "broadcast/call");
		}
		System.out.println();
		System.out.println("RPC targets" + how);
		target("call p50 <= 1.3x floor", serial.p50Ratio(), serial.p50Ratio() <= CALL_P50_TARGET);
		target("throughput (" + IN_FLIGHT + " in flight) >= 0.7x floor", throughput[1] / throughput[0],
				throughput[1] / throughput[0] >= THROUGHPUT_TARGET);
		target("broadcast-to-three p50 <= 1.5x call p50", broadcast.p50Ratio(),
				broadcast.p50Ratio() <= BROADCAST_P50_TARGET);
		target("call p99 <= 2x floor p99", serial.p99Ratio(), serial.p99Ratio() <= CALL_P99_TARGET);
		return new RpcFigures(serial.subject().percentileMicros(50), serial.subject().percentileMicros(99),
				throughput[1]);
	}

	private static void target(String name, double ratio, boolean met) {
		System.out.printf(Locale.ROOT, "  %-44s %5.2fx  %s%n", name, ratio, met ? "met" : "MISSED");
	}

	private static Comparison compare(String title, String baseName, RoundTrip base, String name, RoundTrip subject,
			String ratioName) throws Exception {
		CpuMeter cpu = CpuMeter.start();
		for (int i = 0; i < WARMUP; i++) {
			base.roundTrip(sequence++);
			subject.roundTrip(sequence++);
		}
		LatencyRecorder baseLatency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		LatencyRecorder latency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		for (int block = 0; block < BLOCKS; block++) {
			measure(base, baseLatency);
			measure(subject, latency);
		}
		Comparison comparison = new Comparison(baseLatency, latency);
		System.out.println();
		System.out.println(title + ", " + baseLatency.count() + " round trips each");
		print(baseName, baseLatency);
		print(name, latency);
		System.out.printf(Locale.ROOT, "  ratio %s: p50 %.2fx, p99 %.2fx, mean %.2fx%n", ratioName,
				comparison.p50Ratio(), comparison.p99Ratio(), latency.meanMicros() / baseLatency.meanMicros());
		printIfAny(cpu.report());
		return comparison;
	}

	private static void measure(RoundTrip roundTrip, LatencyRecorder recorder) throws Exception {
		for (int i = 0; i < PER_BLOCK; i++) {
			long start = System.nanoTime();
			roundTrip.roundTrip(sequence++);
			recorder.record(System.nanoTime() - start);
		}
	}

	static void printIfAny(String line) {
		if (!line.isEmpty()) {
			System.out.println(line);
		}
	}

	static void print(String name, LatencyRecorder latency) {
		System.out.printf(Locale.ROOT, "  %-12s p50 %8.1f us   p99 %8.1f us   mean %8.1f us%n", name,
				latency.percentileMicros(50), latency.percentileMicros(99), latency.meanMicros());
	}

	/**
	 * Calls per second of the floor and of Cohort, each the best of its runs; the runs of
	 * the two alternate.
	 */
	private static double[] throughput(AsyncRoundTrip raw, AsyncRoundTrip cohort) throws Exception {
		CpuMeter cpu = CpuMeter.start();
		callsPerSecond(raw, THROUGHPUT_WARMUP);
		callsPerSecond(cohort, THROUGHPUT_WARMUP);
		double[] rawRuns = new double[THROUGHPUT_RUNS];
		double[] cohortRuns = new double[THROUGHPUT_RUNS];
		for (int run = 0; run < THROUGHPUT_RUNS; run++) {
			rawRuns[run] = callsPerSecond(raw, THROUGHPUT_CALLS);
			cohortRuns[run] = callsPerSecond(cohort, THROUGHPUT_CALLS);
		}
		System.out.println();
		System.out.println("RPC call, throughput with " + IN_FLIGHT + " calls in flight, " + THROUGHPUT_CALLS
				+ " calls a run, best of " + THROUGHPUT_RUNS);
		double rawBest = printRuns("raw Lettuce", rawRuns);
		double cohortBest = printRuns("Cohort", cohortRuns);
		System.out.printf(Locale.ROOT, "  ratio Cohort/raw: %.2fx%n", cohortBest / rawBest);
		printIfAny(cpu.report());
		return new double[] { rawBest, cohortBest };
	}

	private static double printRuns(String name, double[] runs) {
		StringBuilder each = new StringBuilder();
		double best = 0;
		for (double run : runs) {
			each.append((each.length() > 0) ? ", " : "").append(Math.round(run));
			best = Math.max(best, run);
		}
		System.out.printf(Locale.ROOT, "  %-12s best %7d calls/s   (runs: %s)%n", name, Math.round(best), each);
		return best;
	}

	/**
	 * Makes calls, never more than {@link #IN_FLIGHT} at once, and waits for the last.
	 */
	private static double callsPerSecond(AsyncRoundTrip calls, int count) throws Exception {
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<Throwable> firstFailure = new AtomicReference<>();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			inFlight.acquire();
			CompletableFuture<?> call;
			try {
				call = calls.start(sequence++);
			}
			catch (RuntimeException ex) {
				call = CompletableFuture.failedFuture(ex);
			}
			call.whenComplete((result, ex) -> {
				if (ex != null) {
					failures.incrementAndGet();
					firstFailure.compareAndSet(null, ex);
				}
				inFlight.release();
			});
		}
		if (!inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)) {
			throw new IllegalStateException((IN_FLIGHT - inFlight.availablePermits()) + " calls still unanswered");
		}
		long elapsed = System.nanoTime() - start;
		if (failures.get() > 0) {
			throw new IllegalStateException(failures.get() + " of " + count + " calls failed", firstFailure.get());
		}
		return count / (elapsed / 1e9);
	}

	/**
	 * The latencies of two ways measured side by side.
	 */
	private record Comparison(LatencyRecorder base, LatencyRecorder subject) {

		double p50Ratio() {
			return this.subject.percentileMicros(50) / this.base.percentileMicros(50);
		}

		double p99Ratio() {
			return this.subject.percentileMicros(99) / this.base.percentileMicros(99);
		}

	}

}
