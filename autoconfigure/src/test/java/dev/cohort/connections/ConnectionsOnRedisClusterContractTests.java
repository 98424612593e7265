package dev.cohort.connections;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The connections and rooms contract on the shared three-master Redis Cluster. The
 * directory lives under one hash tag, so on one master.
 */
class ConnectionsOnRedisClusterContractTests extends AbstractClusterConnectionsContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
