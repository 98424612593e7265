package dev.cohort.rpc;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The RPC contract through the shared Redis Sentinel set-up: the nodes find the master
 * through the Sentinels.
 */
class RpcOnRedisSentinelContractTests extends AbstractClusterRpcContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
