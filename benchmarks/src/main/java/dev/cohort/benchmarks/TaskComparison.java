package dev.cohort.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints Cohort's task queue beside BullMQ's figures of the same run: the best of each
 * side's runs, their ratio, and the target each ratio has. A ratio is only ever taken
 * between two figures measured in this run, the same way.
 */
final class TaskComparison {

	private static final String FORMAT = "%-40s %10s %10s %8s %9s  %s%n";

	private TaskComparison() {
	}

	/**
	 * Prints the table.
	 * @param cohort Cohort's best figures
	 * @param bullmq BullMQ's best figures, or {@code null} if it did not run
	 * @param heading the heading's details: date, commit, CPU line
	 */
	static void print(Map<String, Double> cohort, Map<String, Double> bullmq, String heading) {
		System.out.println();
		System.out.println("Task queue beside BullMQ (same run, " + heading + ")");
		System.out.println("ratio: throughput Cohort/BullMQ, latency BullMQ/Cohort, so above 1 Cohort is ahead;"
				+ " each side's best of its runs (latency: the run with the lowest p50)");
		System.out.printf(Locale.ROOT, FORMAT, "measure", "Cohort", "BullMQ", "ratio", "target", "met?");
		for (Row row : List.of(new Row("single enqueue, awaited, jobs/s", TaskFigures.SINGLE_ADD, 1.0),
				new Row("bulk enqueue (chunks of 1,000), jobs/s", TaskFigures.BULK_ADD, 1.0),
				new Row("end to end c=8 jobs/s", TaskFigures.endToEnd(8), 1.5),
				new Row("end to end c=64 jobs/s", TaskFigures.endToEnd(64), 1.5),
				new Row("serial enqueue-to-done p50 us", TaskFigures.SERIAL_P50, 1.0),
				new Row("serial enqueue-to-done p99 us", TaskFigures.SERIAL_P99, 0),
				new Row("serial enqueue-to-done mean us", TaskFigures.SERIAL_MEAN, 0))) {
			Double ours = cohort.get(row.metric());
			Double theirs = (bullmq != null) ? bullmq.get(row.metric()) : null;
			String ratio = "-";
			String target = (row.target() > 0) ? String.format(Locale.ROOT, ">= %.1fx", row.target()) : "info";
			String met = "";
			if (ours != null && theirs != null && ours > 0 && theirs > 0) {
				double value = TaskFigures.isLatency(row.metric()) ? theirs / ours : ours / theirs;
				ratio = String.format(Locale.ROOT, "%.2fx", value);
				met = (row.target() > 0) ? ((value >= row.target()) ? "met" : "MISSED") : "";
			}
			System.out.printf(Locale.ROOT, FORMAT, row.name(), (ours != null) ? TaskFigures.format(ours) : "-",
					(theirs != null) ? TaskFigures.format(theirs) : "-", ratio, target, met);
		}
	}

	/**
	 * One line of the table: its label, bench.mjs' metric, and the ratio to reach (0 for
	 * information only).
	 */
	private record Row(String name, String metric, double target) {
	}

}
