package dev.cohort.benchmarks;

import java.util.Locale;

import dev.cohort.test.redis.RedisServer;

/**
 * Runs Cohort's benchmarks side by side with their raw-Lettuce floor on one
 * {@code redis-server} of its own, and prints the ratios. Blocks of the two alternate, so
 * that drift of the machine affects both alike.
 * <p>
 * Run with {@code mvn -q -pl benchmarks -am -DskipTests -Pbenchmark verify}.
 */
public final class Benchmarks {

	private static final int WARMUP = 3_000;

	private static final int BLOCKS = 10;

	private static final int PER_BLOCK = 1_000;

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "all";
		try (RedisServer redis = RedisServer.start()) {
			System.out.printf("Redis %s, Java %s, %d cores%n", redis.uri(), System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors());
			if (which.equals("all") || which.equals("pubsub")) {
				pubSub(redis);
			}
		}
		System.exit(0);
	}

	private static void pubSub(RedisServer redis) throws Exception {
		try (RoundTrip raw = new RawLettucePubSub(redis.host(), redis.port());
				RoundTrip cohort = new CohortPubSubRoundTrip(redis.host(), redis.port())) {
			compare("pub/sub round trip (A publishes, B's handler answers, A waits)", raw, cohort);
		}
	}

	private static void compare(String title, RoundTrip raw, RoundTrip cohort) throws Exception {
		long sequence = 0;
		for (int i = 0; i < WARMUP; i++) {
			raw.roundTrip(sequence++);
			cohort.roundTrip(sequence++);
		}
		LatencyRecorder rawLatency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		LatencyRecorder cohortLatency = new LatencyRecorder(BLOCKS * PER_BLOCK);
		for (int block = 0; block < BLOCKS; block++) {
			sequence = measure(raw, rawLatency, sequence);
			sequence = measure(cohort, cohortLatency, sequence);
		}
		System.out.println();
		System.out.println(title + ", " + rawLatency.count() + " round trips each");
		print("raw Lettuce", rawLatency);
		print("Cohort", cohortLatency);
		System.out.printf(Locale.ROOT, "  ratio Cohort/raw: p50 %.2fx, p99 %.2fx, mean %.2fx%n",
				cohortLatency.percentileMicros(50) / rawLatency.percentileMicros(50),
				cohortLatency.percentileMicros(99) / rawLatency.percentileMicros(99),
				cohortLatency.meanMicros() / rawLatency.meanMicros());
	}

	private static long measure(RoundTrip roundTrip, LatencyRecorder recorder, long sequence) throws Exception {
		for (int i = 0; i < PER_BLOCK; i++) {
			long start = System.nanoTime();
			roundTrip.roundTrip(sequence++);
			recorder.record(System.nanoTime() - start);
		}
		return sequence;
	}

	private static void print(String name, LatencyRecorder latency) {
		System.out.printf(Locale.ROOT, "  %-12s p50 %8.1f us   p99 %8.1f us   mean %8.1f us%n", name,
				latency.percentileMicros(50), latency.percentileMicros(99), latency.meanMicros());
	}

}
