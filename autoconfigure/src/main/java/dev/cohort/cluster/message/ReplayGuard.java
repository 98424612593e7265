package dev.cohort.cluster.message;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the nonces of accepted messages for as long as their timestamps keep them
 * from being refused as stale, so that a message delivered twice is refused the second
 * time. After that window the stale check refuses a replay on its own, so memory stays
 * bounded by the message rate times the window.
 */
public final class ReplayGuard {

	private static final int PURGE_EVERY = 4096;

	private final long windowMillis;

	private final Map<String, Long> seen = new ConcurrentHashMap<>();

	private final AtomicLong sincePurge = new AtomicLong();

	/**
	 * Creates a guard.
	 * @param windowMillis how long after its timestamp a nonce must be remembered
	 */
	public ReplayGuard(long windowMillis) {
		this.windowMillis = windowMillis;
	}

	/**
	 * Records a nonce unless it was seen before.
	 * @param nonce the nonce
	 * @param timestamp the message's timestamp
	 * @param now the current time on the same clock
	 * @return {@code true} the first time a nonce is seen
	 */
	public boolean firstSeen(String nonce, long timestamp, long now) {
		if (this.sincePurge.incrementAndGet() >= PURGE_EVERY) {
			this.sincePurge.set(0);
			purge(now);
		}
		return this.seen.putIfAbsent(nonce, timestamp + this.windowMillis) == null;
	}

	private void purge(long now) {
		this.seen.values().removeIf((forgetAt) -> forgetAt < now);
	}

	/**
	 * How many nonces are remembered.
	 * @return the count
	 */
	public int size() {
		return this.seen.size();
	}

}
