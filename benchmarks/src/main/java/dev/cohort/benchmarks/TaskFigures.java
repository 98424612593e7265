package dev.cohort.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one side (Cohort or BullMQ) over several runs, by bench.mjs' metric
 * names, and the best of each: the highest rate, the lowest latency; the serial
 * add-to-completed figures all come from the run with the lowest p50, so that they
 * describe one run.
 */
final class TaskFigures {

	static final int JOBS = 20_000;

	static final int CHUNK = 1_000;

	static final String SINGLE_ADD = "single add (awaited, one at a time) jobs/s";

	static final String BULK_ADD = "addBulk (chunks of " + CHUNK + ") enqueue jobs/s";

	static final String SERIAL = "serial add-to-completed ";

	static final String SERIAL_P50 = SERIAL + "p50 us";

	static final String SERIAL_P99 = SERIAL + "p99 us";

	static final String SERIAL_MEAN = SERIAL + "mean us";

	static final String SERIAL_RATE = SERIAL + "jobs/s";

	private final List<Map<String, Double>> runs = new ArrayList<>();

	static String endToEnd(int concurrency) {
		return JOBS + " jobs, concurrency " + concurrency + ": end-to-end jobs/s";
	}

	void add(Map<String, Double> run) {
		this.runs.add(run);
	}

	int runs() {
		return this.runs.size();
	}

	/**
	 * The best of the runs.
	 * @return metric to value, in the order the first run gave them
	 */
	Map<String, Double> best() {
		Map<String, Double> best = new LinkedHashMap<>();
		Map<String, Double> serialRun = null;
		for (Map<String, Double> run : this.runs) {
			Double p50 = run.get(SERIAL_P50);
			if (p50 != null && (serialRun == null || p50 < serialRun.get(SERIAL_P50))) {
				serialRun = run;
			}
			run.forEach((metric, value) -> best.merge(metric, value,
					(a, b) -> isLatency(metric) ? Math.min(a, b) : Math.max(a, b)));
		}
		if (serialRun != null) {
			for (Map.Entry<String, Double> entry : serialRun.entrySet()) {
				if (entry.getKey().startsWith(SERIAL)) {
					best.put(entry.getKey(), entry.getValue());
				}
			}
		}
		return best;
	}

	/**
	 * Every run's value of a metric, for the reader to see the spread.
	 */
	String each(String metric) {
		StringBuilder each = new StringBuilder();
		for (Map<String, Double> run : this.runs) {
			Double value = run.get(metric);
			each.append((each.length() > 0) ? ", " : "").append((value != null) ? format(value) : "-");
		}
		return each.toString();
	}

	static boolean isLatency(String metric) {
		return metric.contains(" us");
	}

	/**
	 * Formats as bench.mjs does: no decimals from 1,000 up, else one.
	 */
	static String format(double value) {
		return String.format(Locale.ROOT, (value >= 1000) ? "%.0f" : "%.1f", value);
	}

}
