package dev.cohort.cache;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The cache contract on the Redis transport, against one standalone {@code redis-server}.
 */
class CacheOnStandaloneRedisContractTests extends AbstractClusterCacheContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
