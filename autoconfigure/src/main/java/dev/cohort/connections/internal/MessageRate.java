package dev.cohort.connections.internal;

/**
 * How fast one client may send frames: a token bucket of {@code burst} frames refilled at
 * {@code perSecond}. The frames it refuses are counted too, that count draining at the
 * same rate: a client that sends more than twice the rate, until more than {@code burst}
 * refused frames are counted, is to be closed.
 */
final class MessageRate {

	/** What to do with a frame. */
	enum Verdict {

		/** Handle it. */
		ACCEPT,
		/** Refuse it with an error frame. */
		REFUSE,
		/** Close the connection: it floods. */
		CLOSE

	}

	private final double perNano;

	private final double burst;

	/** Frames the client may send now; guarded by this. */
	private double tokens;

	/** Refused frames, draining at the rate; guarded by this. */
	private double refused;

	/** When the bucket was last refilled; guarded by this. */
	private long last;

	MessageRate(int perSecond, int burst, long now) {
		this.perNano = perSecond / 1e9;
		this.burst = burst;
		this.tokens = burst;
		this.last = now;
	}

	/**
	 * Takes a frame.
	 * @param now the time, as {@link System#nanoTime()}
	 * @return what to do with it
	 */
	synchronized Verdict take(long now) {
		double refill = Math.max(0, now - this.last) * this.perNano;
		this.last = now;
		this.tokens = Math.min(this.burst, this.tokens + refill);
		this.refused = Math.max(0, this.refused - refill);
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return Verdict.ACCEPT;
		}
		this.refused += 1;
		return (this.refused > this.burst) ? Verdict.CLOSE : Verdict.REFUSE;
	}

}
