package dev.cohort.connections;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The connections and rooms contract through the shared Redis Sentinel set-up: the nodes
 * find the master through the Sentinels.
 */
class ConnectionsOnRedisSentinelContractTests extends AbstractClusterConnectionsContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
