package dev.cohort.cache;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The cache contract through the shared Redis Sentinel set-up: the nodes find the master
 * through the Sentinels.
 */
class CacheOnRedisSentinelContractTests extends AbstractClusterCacheContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
