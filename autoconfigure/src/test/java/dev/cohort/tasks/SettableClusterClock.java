package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cluster.ClusterClock;

/**
 * A cluster clock that stands still until a test moves it, so that a test of recurring
 * tasks goes through minutes or days of periods at once, and knows exactly which periods
 * have started.
 */
public class SettableClusterClock extends ClusterClock {

	private final AtomicLong millis;

	public SettableClusterClock(Instant start) {
		this.millis = new AtomicLong(start.toEpochMilli());
	}

	@Override
	public long millis() {
		return this.millis.get();
	}

	/**
	 * Sets the time.
	 * @param time the time the clock reads from now on
	 */
	public void set(Instant time) {
		this.millis.set(time.toEpochMilli());
	}

	/**
	 * Moves the time forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	/**
	 * The time the clock reads.
	 * @return the time
	 */
	public Instant now() {
		return Instant.ofEpochMilli(this.millis.get());
	}

}
