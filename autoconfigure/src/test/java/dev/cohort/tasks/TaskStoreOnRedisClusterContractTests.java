package dev.cohort.tasks;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.tasks.redis.RedisTaskStore;
import dev.cohort.testapp.SharedRedisClusterConnection;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The task store's contract on a three-master Redis Cluster, where each queue's scripts
 * must stay within its hash tag's slot.
 */
class TaskStoreOnRedisClusterContractTests extends AbstractTaskStoreContractTests {

	@RegisterExtension
	static final SharedRedisClusterConnection cluster = new SharedRedisClusterConnection();

	@Override
	protected TaskStore createStore() {
		return new RedisTaskStore(new StringRedisTemplate(cluster.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(cluster.factory()));
	}

}
