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

	/**
	 * The sequence of a payload made by {@link #ping(long)}, without a JSON parser.
	 * @param json the payload
	 * @return its sequence
	 */
	static long sequenceOf(String json) {
		int start = json.indexOf(':') + 1;
		return Long.parseLong(json, start, json.indexOf(',', start), 10);
	}

}
