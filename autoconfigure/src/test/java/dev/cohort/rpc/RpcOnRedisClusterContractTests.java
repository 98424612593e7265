package dev.cohort.rpc;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The RPC contract on the shared three-master Redis Cluster. Calls and replies travel as
 * cluster-wide {@code PUBLISH}.
 */
class RpcOnRedisClusterContractTests extends AbstractClusterRpcContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
