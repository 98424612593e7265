package dev.cohort.benchmarks;

import dev.cohort.tasks.ClusterTask;

/**
 * The benchmark's task, {@value #NAME}: does nothing but note when it last started, or,
 * when asked, burns some CPU first, to show how busy workers affect the caller. Every
 * worker node of a measure shares this one bean.
 */
final class NoopTask {

	static final String NAME = "bench.noop";

	private volatile long lastStart;

	private volatile long burnNanos;

	@ClusterTask(name = NAME)
	void run() {
		long start = System.nanoTime();
		this.lastStart = start;
		long burn = this.burnNanos;
		if (burn > 0) {
			spin(start + burn);
		}
	}

	private static void spin(long until) {
		long x = 0;
		while (System.nanoTime() < until) {
			x++;
		}
		if (x == -1) {
			// Keeps the loop from being optimised away.
			System.out.print("");
		}
	}

	/**
	 * When the handler last started.
	 * @return {@link System#nanoTime()}
	 */
	long lastStart() {
		return this.lastStart;
	}

	/**
	 * How much CPU each run burns from now on.
	 * @param nanos the time to spin, 0 for none
	 */
	void burn(long nanos) {
		this.burnNanos = nanos;
	}

}
