package dev.cohort.cache;

import java.util.UUID;

import dev.cohort.cache.redis.RedisCacheStore;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.internal.redis.BlockingRedisPool;
import dev.cohort.testapp.ReplicatedRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cache store's contract with {@code cluster.redis.wait-replicas=1}, on a master with
 * one replica: the lock takings and renewals that wait for the replica behave as those
 * that do not, and every one reaches it.
 */
class RedisCacheStoreWaitingForReplicasContractTests extends AbstractCacheStoreContractTests {

	@RegisterExtension
	static final ReplicatedRedisConnection replicatedRedis = new ReplicatedRedisConnection();

	@Override
	protected CacheStore createStore() {
		return new RedisCacheStore(new StringRedisTemplate(replicatedRedis.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"),
				new BlockingRedisPool(new BlockingRedis(replicatedRedis.factory()), 8), replicatedRedis.replicaWait());
	}

	@AfterEach
	void closeStore() {
		((RedisCacheStore) this.store).close();
	}

}
