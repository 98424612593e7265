package dev.cohort.tasks.internal;

import java.util.UUID;

/**
 * Makes job ids, {@code <queue>:<unique part>}, so that an id says which queue's keys
 * hold its job.
 */
final class JobIds {

	private JobIds() {
	}

	static String next(String queue) {
		return queue + ":" + UUID.randomUUID();
	}

	static String recurring(String queue, String task, long periodStart) {
		return queue + ":" + task + "@" + periodStart;
	}

}
