package dev.cohort.cluster;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The membership contract on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class MembershipOnStandaloneRedisContractTests extends AbstractClusterContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
