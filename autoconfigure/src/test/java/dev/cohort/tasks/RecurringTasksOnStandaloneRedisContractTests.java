package dev.cohort.tasks;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The recurring tasks' contract on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class RecurringTasksOnStandaloneRedisContractTests extends AbstractRecurringTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
