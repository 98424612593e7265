package dev.cohort.cache;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The cache contract on the Redis transport.
 */
class RedisClusterCacheContractTests extends AbstractClusterCacheContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
