package dev.cohort.benchmarks;

/**
 * The payload both round trips carry, so that they move the same application bytes.
 */
final class Payloads {

	private Payloads() {
	}

	record Ping(long sequence, String text) {
	}

	static final String TEXT = "hello from the benchmark";

	static String ping(long sequence) {
		return "{\"sequence\":" + sequence + ",\"text\":\"" + TEXT + "\"}";
	}

}
