package dev.cohort.cluster;

import java.util.function.LongSupplier;

/**
 * The cluster's clock: this machine's clock corrected by its observed offset to the Redis
 * server's clock, so that timestamps compared across nodes do not depend on each
 * machine's time being right. With the local transport the samples come from this
 * machine's own clock.
 * <p>
 * The replay protection of messages relies on this clock not going back (a message that
 * is stale must not become young again), so:
 * <ul>
 * <li>it runs on this machine's monotonic clock ({@link System#nanoTime()}), started at
 * the wall clock's time: a step of the machine's wall clock does not move it;</li>
 * <li>of the last {@value #SAMPLES} samples of Redis' clock it follows the one with the
 * shortest round trip (the smallest error), so that a slow answer does not throw it
 * off;</li>
 * <li>it moves forward at once, but back by at most {@value #MAX_STEP_BACK_MILLIS} ms per
 * step, and by no more in a step than the time since the previous step back: it never
 * reads more than {@value #MAX_STEP_BACK_MILLIS} ms below a time it has already given.
 * Only the first sample, taken while the node joins, sets it back in full.</li>
 * </ul>
 */
public class ClusterClock {

	/**
	 * The most this clock reads below a time it has read before: how far back a
	 * correction steps it at once.
	 */
	public static final long MAX_STEP_BACK_MILLIS = 100;

	/** How many recent samples of Redis' clock are kept to choose the best from. */
	static final int SAMPLES = 8;

	private final LongSupplier wallMillis;

	private final LongSupplier monotonicNanos;

	/** Cluster time minus monotonic time. */
	private volatile long offsetMillis;

	private final long[] roundTrips = new long[SAMPLES];

	private final long[] sampleOffsets = new long[SAMPLES];

	/** Where the next sample goes. */
	private int next;

	/** How many samples are kept, up to {@link #SAMPLES}. */
	private int kept;

	private long lastStepBackAt;

	/**
	 * Creates a clock that reads this machine's time until its first sample.
	 */
	public ClusterClock() {
		this(System::currentTimeMillis, System::nanoTime);
	}

	ClusterClock(LongSupplier wallMillis, LongSupplier monotonicNanos) {
		this.wallMillis = wallMillis;
		this.monotonicNanos = monotonicNanos;
		long now = monotonicMillis();
		this.offsetMillis = wallMillis.getAsLong() - now;
		this.lastStepBackAt = now - MAX_STEP_BACK_MILLIS;
	}

	/**
	 * The current time on the cluster's clock.
	 * @return milliseconds since the epoch
	 */
	public long millis() {
		return monotonicMillis() + this.offsetMillis;
	}

	/**
	 * This machine's wall clock, as this clock reads it: the local times to pass to
	 * {@link #observe}.
	 * @return milliseconds since the epoch
	 */
	public long localMillis() {
		return this.wallMillis.getAsLong();
	}

	/**
	 * Records the server's time, read by a call that was sent and answered at the given
	 * local times. The server read its clock, on average, half-way between the two. A
	 * sample whose round trip is negative (this machine's clock stepped during the call)
	 * is ignored.
	 * @param serverMillis the server's time
	 * @param sentAtMillis local (wall clock) time when the call was sent
	 * @param receivedAtMillis local (wall clock) time when the answer arrived
	 */
	public synchronized void observe(long serverMillis, long sentAtMillis, long receivedAtMillis) {
		long roundTrip = receivedAtMillis - sentAtMillis;
		long wallNow = this.wallMillis.getAsLong();
		if (roundTrip < 0 || wallNow < receivedAtMillis) {
			return;
		}
		long now = monotonicMillis();
		long midpoint = now - (wallNow - (sentAtMillis + roundTrip / 2));
		int newest = this.next;
		this.roundTrips[newest] = roundTrip;
		this.sampleOffsets[newest] = serverMillis - midpoint;
		this.next = (newest + 1) % SAMPLES;
		this.kept = Math.min(this.kept + 1, SAMPLES);
		adjust(bestOffset(newest), now);
	}

	/**
	 * The offset of the kept sample with the shortest round trip, the newest of equals.
	 */
	private long bestOffset(int newest) {
		int best = newest;
		for (int age = 1; age < this.kept; age++) {
			int slot = Math.floorMod(newest - age, SAMPLES);
			if (this.roundTrips[slot] < this.roundTrips[best]) {
				best = slot;
			}
		}
		return this.sampleOffsets[best];
	}

	private void adjust(long target, long now) {
		long current = this.offsetMillis;
		if (this.kept == 1 || target >= current) {
			this.offsetMillis = target;
			return;
		}
		long step = Math.min(Math.min(current - target, MAX_STEP_BACK_MILLIS), now - this.lastStepBackAt);
		if (step > 0) {
			this.offsetMillis = current - step;
			this.lastStepBackAt = now;
		}
	}

	private long monotonicMillis() {
		return this.monotonicNanos.getAsLong() / 1_000_000;
	}

	/**
	 * The current correction applied to this machine's clock.
	 * @return the cluster's time minus this machine's wall clock time, in milliseconds
	 */
	public long offsetMillis() {
		return millis() - this.wallMillis.getAsLong();
	}

}
