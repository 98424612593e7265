package dev.cohort.cache.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.cohort.cluster.ClusterException;
import org.jspecify.annotations.Nullable;

/**
 * Pauses between attempts to take something another holder has: short at first, longer
 * the longer it lasts, jittered so that waiters spread out, and never past a deadline.
 */
final class Backoff {

	private static final long FIRST_NANOS = Duration.ofMillis(1).toNanos();

	private static final long LONGEST_NANOS = Duration.ofMillis(50).toNanos();

	private final long deadline;

	private final boolean bounded;

	private long pause = FIRST_NANOS;

	/**
	 * Creates a back-off.
	 * @param maxWait how long attempts may go on, or {@code null} without end
	 */
	Backoff(@Nullable Duration maxWait) {
		this.bounded = maxWait != null;
		this.deadline = System.nanoTime() + ((maxWait != null) ? maxWait.toNanos() : 0);
	}

	/**
	 * Pauses before the next attempt, unless the deadline has passed.
	 * @return whether to attempt again
	 */
	boolean pause() {
		long left = this.deadline - System.nanoTime();
		if (this.bounded && left <= 0) {
			return false;
		}
		long nanos = ThreadLocalRandom.current().nextLong(this.pause / 2, this.pause + 1);
		LockSupport.parkNanos(this.bounded ? Math.min(nanos, left) : nanos);
		if (Thread.interrupted()) {
			Thread.currentThread().interrupt();
			throw new ClusterException("Interrupted while waiting for a lock");
		}
		this.pause = Math.min(this.pause * 2, LONGEST_NANOS);
		return true;
	}

}
