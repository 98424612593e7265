package dev.cohort.tasks;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The task queue's contract on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class TasksOnStandaloneRedisContractTests extends AbstractClusterTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
