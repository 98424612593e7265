package dev.cohort.cache;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The cache contract on a three-master Redis Cluster, where every operation must stay
 * within one slot.
 */
class RedisClusterModeCacheContractTests extends AbstractClusterCacheContractTests {

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
