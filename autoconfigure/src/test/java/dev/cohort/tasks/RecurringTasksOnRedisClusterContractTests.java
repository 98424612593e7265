package dev.cohort.tasks;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The recurring tasks' contract on a three-master Redis Cluster, where a task's mark and
 * its queue are on different shards.
 */
class RecurringTasksOnRedisClusterContractTests extends AbstractRecurringTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
