package dev.cohort.tasks;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.tasks.redis.RedisTaskStore;
import dev.cohort.testapp.SharedRedisConnection;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The task store's contract on one standalone {@code redis-server}.
 */
class TaskStoreOnStandaloneRedisContractTests extends AbstractTaskStoreContractTests {

	@RegisterExtension
	static final SharedRedisConnection sharedRedis = new SharedRedisConnection();

	@Override
	protected TaskStore createStore() {
		return new RedisTaskStore(new StringRedisTemplate(sharedRedis.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(sharedRedis.factory()));
	}

}
