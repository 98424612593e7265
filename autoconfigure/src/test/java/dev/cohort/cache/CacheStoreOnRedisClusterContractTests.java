package dev.cohort.cache;

import java.util.UUID;

import dev.cohort.cache.redis.RedisCacheStore;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.testapp.SharedRedisClusterConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cache store's contract on a three-master Redis Cluster, where keys spread over the
 * masters and a scan visits each of them.
 */
class CacheStoreOnRedisClusterContractTests extends AbstractCacheStoreContractTests {

	@RegisterExtension
	static final SharedRedisClusterConnection cluster = new SharedRedisClusterConnection();

	@Override
	protected CacheStore createStore() {
		return new RedisCacheStore(new StringRedisTemplate(cluster.factory()),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(cluster.factory()));
	}

	@AfterEach
	void closeStore() {
		((RedisCacheStore) this.store).close();
	}

}
