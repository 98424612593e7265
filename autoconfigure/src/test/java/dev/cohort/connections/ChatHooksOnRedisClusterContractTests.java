package dev.cohort.connections;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The chat and connection hooks on the shared three-master Redis Cluster, where the
 * member details live under each room's hash tag.
 */
class ChatHooksOnRedisClusterContractTests extends AbstractChatHooksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
