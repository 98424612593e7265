package dev.cohort.connections;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The connections and rooms contract on the shared three-master Redis Cluster, where the
 * directory's keys spread over the masters (a hash tag per node, per room, per user, and
 * per bucket of the connection index).
 */
class ConnectionsOnRedisClusterContractTests extends AbstractClusterConnectionsContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
