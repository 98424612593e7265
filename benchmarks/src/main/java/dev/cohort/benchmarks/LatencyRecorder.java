package dev.cohort.benchmarks;

import java.util.Arrays;

/**
 * Collects round-trip times and reports percentiles.
 */
final class LatencyRecorder {

	private final long[] nanos;

	private int count;

	LatencyRecorder(int capacity) {
		this.nanos = new long[capacity];
	}

	void record(long elapsedNanos) {
		this.nanos[this.count++] = elapsedNanos;
	}

	int count() {
		return this.count;
	}

	/**
	 * The given percentile, in microseconds.
	 * @param percentile from 0 to 100
	 * @return the latency
	 */
	double percentileMicros(double percentile) {
		long[] sorted = Arrays.copyOf(this.nanos, this.count);
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1000.0;
	}

	double meanMicros() {
		long sum = 0;
		for (int i = 0; i < this.count; i++) {
			sum += this.nanos[i];
		}
		return (this.count > 0) ? sum / (double) this.count / 1000.0 : 0;
	}

}
