package dev.cohort.tasks;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The task queue's contract on a three-master Redis Cluster, where each queue's scripts
 * must stay within its hash tag's slot.
 */
class TasksOnRedisClusterContractTests extends AbstractClusterTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
