package dev.cohort.tasks;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The task queue's contract through the shared Redis Sentinel set-up: the nodes find the
 * master through the Sentinels.
 */
class TasksOnRedisSentinelContractTests extends AbstractClusterTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
