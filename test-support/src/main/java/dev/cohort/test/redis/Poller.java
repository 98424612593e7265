package dev.cohort.test.redis;

import java.io.IOException;
import java.time.Duration;

/**
 * Polls a condition until it holds, with a bounded wait.
 */
final class Poller {

	private static final long INTERVAL_MILLIS = 50;

	private Poller() {
	}

	/**
	 * Wait until the check reports no problem.
	 * @param timeout how long to wait at most
	 * @param what what is awaited, for the error message
	 * @param check the check
	 * @throws IllegalStateException if the check still reports a problem after the
	 * timeout
	 */
	static void await(Duration timeout, String what, Check check) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String problem;
		while (true) {
			try {
				problem = check.problem();
			}
			catch (IOException | RuntimeException ex) {
				problem = ex.toString();
			}
			if (problem == null) {
				return;
			}
			if (System.nanoTime() >= deadline) {
				throw new IllegalStateException(
						"Timed out after " + timeout.toSeconds() + "s waiting for " + what + "; last seen: " + problem);
			}
			try {
				Thread.sleep(INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + what, ex);
			}
		}
	}

	/**
	 * A condition to wait for.
	 */
	@FunctionalInterface
	interface Check {

		/**
		 * Check the condition.
		 * @return {@code null} if it holds, else a description of what is wrong
		 * @throws IOException if the check cannot talk to Redis (yet)
		 */
		String problem() throws IOException;

	}

}
