package dev.cohort.pubsub;

import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.TestNodes;

/**
 * The pub/sub contract through the shared Redis Sentinel set-up: the nodes find the
 * master through the Sentinels.
 */
class PubSubOnRedisSentinelContractTests extends AbstractClusterPubSubContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisSentinel(RedisSentinelSet.shared());
	}

}
