package dev.cohort.tasks;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The task queue's contract on a three-master Redis Cluster, where each queue's scripts
 * must stay within its hash tag's slot.
 */
class RedisClusterModeTasksContractTests extends AbstractClusterTasksContractTests {

	private static RedisClusterSet cluster;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterSet.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(cluster);
	}

}
