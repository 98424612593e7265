package dev.cohort.pubsub;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The pub/sub contract on the shared three-master Redis Cluster. Messages travel as
 * cluster-wide {@code PUBLISH}.
 */
class PubSubOnRedisClusterContractTests extends AbstractClusterPubSubContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
