package dev.cohort.cluster;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The membership contract through the shared Redis Sentinel set-up: the nodes find the
 * master through the Sentinels.
 */
class MembershipOnRedisSentinelContractTests extends AbstractClusterContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
