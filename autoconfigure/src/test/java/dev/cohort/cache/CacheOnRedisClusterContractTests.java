package dev.cohort.cache;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The cache contract on a three-master Redis Cluster, where every operation must stay
 * within one slot.
 */
class CacheOnRedisClusterContractTests extends AbstractClusterCacheContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
