package dev.cohort.cache;

import java.util.UUID;

import dev.cohort.cache.redis.RedisCacheStore;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.testapp.SharedRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cache store's contract on a standalone Redis.
 */
class CacheStoreOnStandaloneRedisContractTests extends AbstractCacheStoreContractTests {

	@RegisterExtension
	static final SharedRedisConnection sharedRedis = new SharedRedisConnection();

	@Override
	protected CacheStore createStore() {
		return new RedisCacheStore(new StringRedisTemplate(sharedRedis.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(sharedRedis.factory()));
	}

	@AfterEach
	void closeStore() {
		((RedisCacheStore) this.store).close();
	}

}
