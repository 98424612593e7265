package dev.cohort.connections;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The connections and rooms contract on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class ConnectionsOnStandaloneRedisContractTests extends AbstractClusterConnectionsContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
