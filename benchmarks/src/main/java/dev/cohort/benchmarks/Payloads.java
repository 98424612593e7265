package dev.cohort.benchmarks;

/**
 * The payloads both sides of a benchmark carry, so that they move the same application
 * bytes.
 */
final class Payloads {

	private Payloads() {
	}

	record Ping(long sequence, String text) {
	}

	static final String TEXT = "hello from the benchmark";

	/**
	 * The cache benchmark's value: 98 characters that need no escaping, so that its JSON
	 * text, {@link #CACHE_VALUE_JSON}, is 100 bytes.
	 */
	static final String CACHE_VALUE = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(3).substring(0, 98);

	/**
	 * The cache value as JSON text, the 100 bytes that Cohort stores and the floor sets.
	 */
	static final String CACHE_VALUE_JSON = "\"" + CACHE_VALUE + "\"";

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
