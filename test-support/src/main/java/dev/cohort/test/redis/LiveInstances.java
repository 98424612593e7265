package dev.cohort.test.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@link RedisInstance} that was started and not closed yet, so that a JVM shutdown
 * hook can kill whatever a test forgot to close.
 */
final class LiveInstances {

	private static final Set<RedisInstance> instances = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(LiveInstances::killAll, "cohort-redis-cleanup"));
	}

	private LiveInstances() {
	}

	static void add(RedisInstance instance) {
		instances.add(instance);
	}

	static void remove(RedisInstance instance) {
		instances.remove(instance);
	}

	private static void killAll() {
		List<RedisInstance> remaining = new ArrayList<>(instances);
		for (RedisInstance instance : remaining) {
			try {
				instance.kill();
			}
			catch (Throwable ex) {
				// Best effort: keep going with the others
			}
		}
		for (RedisInstance instance : remaining) {
			try {
				instance.close();
			}
			catch (Throwable ex) {
				// Best effort: keep going with the others
			}
		}
	}

}
