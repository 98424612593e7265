package dev.cohort.connections;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.redis.RedisConnectionStore;

import dev.cohort.testapp.SharedRedisConnection;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The directory's contract on the Redis scripts, against one standalone
 * {@code redis-server}.
 */
class ConnectionStoreOnStandaloneRedisContractTests extends AbstractConnectionStoreContractTests {

	@RegisterExtension
	static final SharedRedisConnection sharedRedis = new SharedRedisConnection();

	@Override
	protected ConnectionStore newStore() {
		return new RedisConnectionStore(new StringRedisTemplate(sharedRedis.factory()),
				new ClusterKeys("directory-" + UUID.randomUUID(), "unused"));
	}

}
