package dev.cohort.rpc;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The RPC contract on the Redis transport.
 */
class RedisClusterRpcContractTests extends AbstractClusterRpcContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
