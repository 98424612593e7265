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
 * <p>
 * Nonces of the form Cohort sends, {@code <prefix>.<counter>} (a random prefix per
 * sending process, a counter in base 36), are remembered as bits per prefix
 * ({@link CountedNonces}); in a profile of RPC calls a map entry per nonce cost 10% of
 * the CPU. Any other nonce (from a version that sent random ones, say) is remembered
 * whole. Both are exact: a nonce is refused if and only if it was seen within its time,
 * so the form of a nonce changes what it costs, never whether it is accepted. The
 * signature covers the nonce, so only a node that holds the token chooses it.
 */
public final class ReplayGuard {

	/** How many expired nonces one call forgets at most; more than one keeps up. */
	private static final int FORGET_PER_CALL = 4;

	/** How long after its timestamp a nonce is kept. */
	private final long keepMillis;

	private final Map<String, Long> seen = new ConcurrentHashMap<>();

	private final Queue<Remembered> order = new ConcurrentLinkedQueue<>();

	/** Counted nonces by prefix. */
	private final Map<String, CountedNonces> senders = new ConcurrentHashMap<>();

	/** When every prefix's expired counters are next forgotten, idle ones included. */
	private volatile long nextSweep = Long.MIN_VALUE;

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
		long forgetAt = timestamp + this.keepMillis;
		int dot = nonce.lastIndexOf('.');
		long counter = (dot > 0) ? counter(nonce, dot + 1) : -1;
		sweep(now);
		if (counter < 0) {
			return firstSeenWhole(nonce, forgetAt, now);
		}
		boolean[] first = new boolean[1];
		this.senders.compute(nonce.substring(0, dot), (prefix, counted) -> {
			CountedNonces nonces = (counted != null) ? counted : new CountedNonces();
			nonces.forgetExpired(now, FORGET_PER_CALL);
			first[0] = nonces.firstSeen(counter, forgetAt);
			return nonces;
		});
		return first[0];
	}

	/**
	 * The counter of a nonce as {@code ClusterBus} writes it: base 36, lower case, no
	 * sign and no leading zero, at most 12 digits; -1 for any other text, so that one
	 * counter has one spelling.
	 */
	private static long counter(String nonce, int start) {
		int digits = nonce.length() - start;
		if (digits < 1 || digits > 12 || (nonce.charAt(start) == '0' && digits > 1)) {
			return -1;
		}
		long counter = 0;
		for (int i = start; i < nonce.length(); i++) {
			char c = nonce.charAt(i);
			int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'z') ? c - 'a' + 10 : -1;
			if (digit < 0) {
				return -1;
			}
			counter = counter * 36 + digit;
		}
		return counter;
	}

	/**
	 * Once a second, forgets every expired nonce, and the prefixes left with none: a
	 * sender that stopped (a node that restarted, with a new prefix) sends nothing that
	 * would make its own nonces forgotten, nor does a version that sent whole nonces once
	 * every node is upgraded.
	 */
	private void sweep(long now) {
		if (now < this.nextSweep) {
			return;
		}
		this.nextSweep = now + 1000;
		forgetExpired(now, Integer.MAX_VALUE);
		for (String prefix : this.senders.keySet()) {
			this.senders.computeIfPresent(prefix, (key, nonces) -> {
				nonces.forgetExpired(now, Integer.MAX_VALUE);
				return nonces.isEmpty() ? null : nonces;
			});
		}
	}

	private boolean firstSeenWhole(String nonce, long forgetAt, long now) {
		forgetExpired(now, FORGET_PER_CALL);
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
	private void forgetExpired(long now, int most) {
		for (int i = 0; i < most; i++) {
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
		int counted = 0;
		for (String prefix : this.senders.keySet()) {
			int[] size = new int[1];
			this.senders.computeIfPresent(prefix, (key, nonces) -> {
				size[0] = nonces.size();
				return nonces;
			});
			counted += size[0];
		}
		return this.seen.size() + counted;
	}

	private record Remembered(String nonce, long forgetAt) {
	}

}
