package dev.cohort.cluster;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The contract on the Redis transport, against a real {@code redis-server}.
 */
class RedisClusterContractTests extends AbstractClusterContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
