package dev.cohort.cluster;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The membership contract on the shared three-master Redis Cluster. Heartbeats and
 * membership messages travel as cluster-wide {@code PUBLISH}.
 */
class MembershipOnRedisClusterContractTests extends AbstractClusterContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
