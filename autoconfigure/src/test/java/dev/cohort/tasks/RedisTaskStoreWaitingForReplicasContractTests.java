package dev.cohort.tasks;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.tasks.redis.RedisTaskStore;
import dev.cohort.testapp.ReplicatedRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The task store's contract with {@code cluster.redis.wait-replicas=1}, on a master with
 * one replica: the enqueues and ends of jobs that wait for the replica behave as those
 * that do not, and every one reaches it.
 */
class RedisTaskStoreWaitingForReplicasContractTests extends AbstractTaskStoreContractTests {

	@RegisterExtension
	static final ReplicatedRedisConnection replicatedRedis = new ReplicatedRedisConnection();

	@Override
	protected TaskStore createStore() {
		return new RedisTaskStore(new StringRedisTemplate(replicatedRedis.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(replicatedRedis.factory()),
				replicatedRedis.replicaWait());
	}

	@AfterEach
	void closeStore() {
		((RedisTaskStore) this.store).close();
	}

}
