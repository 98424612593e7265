package dev.cohort.cluster.message.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The counters seen of one sender's nonces ({@code <prefix>.<counter>}, see
 * {@link ReplayGuard}), as bits in blocks of 64 consecutive counters: one sender's
 * counters come close together, so a block holds many of them, where a map of nonces
 * would hold an entry, a string and a box for each.
 * <p>
 * A block is forgotten once every counter in it is past its time, in the order blocks
 * were first used; a block that is used again later is kept as long as its latest counter
 * needs, so a counter may be forgotten late, never early. Not thread-safe:
 * {@link ReplayGuard} calls it under a lock.
 */
final class CountedNonces {

	private final Map<Long, Block> blocks = new HashMap<>();

	private final ArrayDeque<Block> order = new ArrayDeque<>();

	/** The block used last: a sender's next counter is most often in it. */
	private Block last = new Block(-1);

	/**
	 * Records a counter unless it was seen before.
	 * @param counter the counter, not negative
	 * @param forgetAt when it may be forgotten
	 * @return {@code true} the first time a counter is seen
	 */
	boolean firstSeen(long counter, long forgetAt) {
		long index = counter >>> 6;
		long bit = 1L << (counter & 63);
		Block block = (this.last.index == index) ? this.last : this.blocks.get(index);
		if (block == null) {
			block = new Block(index);
			this.blocks.put(index, block);
			this.order.add(block);
		}
		this.last = block;
		if ((block.bits & bit) != 0) {
			return false;
		}
		block.bits |= bit;
		block.forgetAt = Math.max(block.forgetAt, forgetAt);
		return true;
	}

	/**
	 * Forgets the oldest blocks whose time has passed.
	 * @param now the current time
	 * @param most how many blocks to forget at most
	 */
	void forgetExpired(long now, int most) {
		for (int i = 0; i < most; i++) {
			Block oldest = this.order.peekFirst();
			if (oldest == null || oldest.forgetAt >= now) {
				return;
			}
			this.order.pollFirst();
			this.blocks.remove(oldest.index);
			if (this.last == oldest) {
				this.last = new Block(-1);
			}
		}
	}

	boolean isEmpty() {
		return this.blocks.isEmpty();
	}

	/**
	 * How many counters are remembered.
	 * @return the count
	 */
	int size() {
		return this.blocks.values().stream().mapToInt((block) -> Long.bitCount(block.bits)).sum();
	}

	private static final class Block {

		final long index;

		long bits;

		long forgetAt = Long.MIN_VALUE;

		Block(long index) {
			this.index = index;
		}

	}

}
