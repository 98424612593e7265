package dev.cohort.pubsub;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The pub/sub contract on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class PubSubOnStandaloneRedisContractTests extends AbstractClusterPubSubContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
