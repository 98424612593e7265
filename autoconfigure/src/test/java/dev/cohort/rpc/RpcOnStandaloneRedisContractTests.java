package dev.cohort.rpc;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The RPC contract on the Redis transport, against one standalone {@code redis-server}.
 */
class RpcOnStandaloneRedisContractTests extends AbstractClusterRpcContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
