package dev.cohort.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the machine's CPU went while a benchmark ran: to this JVM, to the processes it
 * started (the {@code redis-server}), or to other processes, which skew the figures.
 * Reads Linux' {@code /proc}; elsewhere it reports nothing.
 */
final class CpuMeter {

	private final int cpus = Runtime.getRuntime().availableProcessors();

	private final long[] start;

	private CpuMeter(long[] start) {
		this.start = start;
	}

	static CpuMeter start() {
		return new CpuMeter(sample());
	}

	/**
	 * Describes the CPU used since the start.
	 * @return a line to print, empty where {@code /proc} is missing
	 */
	String report() {
		long[] end = sample();
		if (this.start == null || end == null) {
			return "";
		}
		double total = end[0] - this.start[0];
		double busy = end[1] - this.start[1];
		double self = end[2] - this.start[2];
		double children = end[3] - this.start[3];
		if (total <= 0) {
			return "";
		}
		double scale = 100.0 * this.cpus / total;
		return String.format(Locale.ROOT,
				"  CPU: machine %.0f%% of %d%%; this JVM %.0f%%, redis-server %.0f%%, other processes %.0f%%",
				busy * scale, 100 * this.cpus, self * scale, children * scale,
				Math.max(0, busy - self - children) * scale);
	}

	/**
	 * Jiffies: all CPUs' total, all CPUs' busy, this JVM's, its descendants'.
	 */
	private static long[] sample() {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < cpu.length && i <= 8; i++) {
				total += Long.parseLong(cpu[i]);
			}
			long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
			long self = processJiffies(ProcessHandle.current().pid());
			long children = ProcessHandle.current()
				.descendants()
				.mapToLong((process) -> processJiffies(process.pid()))
				.sum();
			return new long[] { total, total - idle, self, children };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static long processJiffies(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
			// utime and stime, fields 14 and 15 of the whole line
			return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
