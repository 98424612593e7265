package dev.cohort.tasks.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes job ids, {@code <queue>:<unique part>}, so that an id says which queue's keys
 * hold its job.
 */
final class JobIds {

	private JobIds() {
	}

	static String next(String queue) {
		// 122 random bits, as UUID.randomUUID() has, from a generator that takes no lock:
		// an id must be unique, not secret (who may address jobs is checked elsewhere).
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return queue + ":" + new UUID(high, low);
	}

	static String recurring(String queue, String task, long periodStart) {
		return queue + ":" + task + "@" + periodStart;
	}

}
