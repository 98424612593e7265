package dev.cohort.connections;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

/**
 * The chat and connection hooks on the Redis transport, against one standalone
 * {@code redis-server}.
 */
class ChatHooksOnStandaloneRedisContractTests extends AbstractChatHooksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

}
