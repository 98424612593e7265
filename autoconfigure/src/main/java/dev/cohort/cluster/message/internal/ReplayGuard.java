package dev.cohort.cluster.message.internal;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cohort.cluster.ClusterClock;

/**
 * Remembers the nonces of accepted messages for as long as their timestamps keep them
 * from being refused as stale, so that a message delivered twice is refused the second
 * time. After that window the stale check refuses a replay on its own, so memory stays
 * bounded by the message rate times the window.
 * <p>
 * A nonce is kept {@link ClusterClock#MAX_STEP_BACK_MILLIS} longer than the window: the
 * cluster clock may read that much below a time it has read before, and a replay that
 * arrives after such a step must still be either stale or known.
 * <p>
 * Nonces live in this process's memory only: a node that starts knows none. The frames it
 * could have seen before, those stamped before it started, are refused by
 * {@link EnvelopeVerifier#started()} instead.
 * <p>
 * Nonces are forgotten a few at a time, in the order they were first seen, as new ones
 * arrive: checking is called on Redis I/O threads, where a pass over every remembered
 * nonce would stall reading.
 */
public final class ReplayGuard {

	/** How many expired nonces one call forgets at most; more than one keeps up. */
	private static final int FORGET_PER_CALL = 4;

	/** How long after its timestamp a nonce is kept. */
	private final long keepMillis;

	private final Map<String, Long> seen = new ConcurrentHashMap<>();

	private final Queue<Remembered> order = new ConcurrentLinkedQueue<>();

	/**
	 * Creates a guard.
	 * @param windowMillis how far from now a timestamp may be before the stale check
	 * refuses it
	 */
	public ReplayGuard(long windowMillis) {
		this.keepMillis = windowMillis + ClusterClock.MAX_STEP_BACK_MILLIS;
	}

	/**
	 * Records a nonce unless it was seen before.
	 * @param nonce the nonce
	 * @param timestamp the message's timestamp
	 * @param now the current time on the same clock
	 * @return {@code true} the first time a nonce is seen
	 */
	public boolean firstSeen(String nonce, long timestamp, long now) {
		forgetExpired(now);
		long forgetAt = timestamp + this.keepMillis;
		if (this.seen.putIfAbsent(nonce, forgetAt) != null) {
			return false;
		}
		this.order.add(new Remembered(nonce, forgetAt));
		return true;
	}

	/**
	 * Forgets the oldest nonces whose time has passed. Timestamps of different senders
	 * are not in order, so a nonce may outlive its time behind one that has not expired;
	 * it is then forgotten a little late, never early.
	 */
	private void forgetExpired(long now) {
		for (int i = 0; i < FORGET_PER_CALL; i++) {
			Remembered oldest = this.order.peek();
			if (oldest == null || oldest.forgetAt() >= now) {
				return;
			}
			Remembered taken = this.order.poll();
			if (taken == null) {
				return;
			}
			if (taken.forgetAt() >= now) {
				// Another thread took the expired one first: keep this one for later.
				this.order.add(taken);
				return;
			}
			this.seen.remove(taken.nonce(), taken.forgetAt());
		}
	}

	/**
	 * How many nonces are remembered.
	 * @return the count
	 */
	public int size() {
		return this.seen.size();
	}

	private record Remembered(String nonce, long forgetAt) {
	}

}
