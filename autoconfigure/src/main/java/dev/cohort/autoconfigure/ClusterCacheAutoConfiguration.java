package dev.cohort.autoconfigure;

import dev.cohort.cache.CacheStore;
import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.internal.DefaultClusterCache;
import dev.cohort.cache.local.LocalCacheStore;
import dev.cohort.cache.redis.RedisCacheStore;
import dev.cohort.cache.spring.CacheValueTypes;
import dev.cohort.cache.spring.CacheableReturnTypes;
import dev.cohort.cache.spring.ClusterCacheManager;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.internal.redis.BlockingRedisPool;
import dev.cohort.internal.redis.ReplicaWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link ClusterCache}, on the store of the configured transport, and a Spring
 * {@link CacheManager} on the same store unless the application defines one. It runs
 * before Boot's own cache auto-configuration, which then backs off.
 */
// By name: spring-boot-cache is optional, and a class reference to it would make Spring
// warn on every start of an application without it.
@AutoConfiguration(after = ClusterAutoConfiguration.class,
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBean(ClusterKeys.class)
public final class ClusterCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ClusterCache.class)
	DefaultClusterCache clusterCache(CacheStore clusterCacheStore, ObjectProvider<JsonMapper> jsonMapper,
			NodeInfo clusterNodeInfo, ClusterClock clock) {
		return new DefaultClusterCache(clusterCacheStore, JsonMappers.applicationOrDefault(jsonMapper),
				clusterNodeInfo.id(), clock);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(CacheManager.class)
	@ConditionalOnBooleanProperty(name = "cluster.cache.cache-manager", matchIfMissing = true)
	static class SpringCacheManager {

		/**
		 * Finds the application's cached types as its beans are created. Static, as a
		 * post-processor must be, so that it needs nothing of this configuration.
		 */
		@Bean
		static CacheableReturnTypes clusterCacheableReturnTypes() {
			return new CacheableReturnTypes(new CacheValueTypes());
		}

		@Bean
		ClusterCacheManager cacheManager(CacheStore clusterCacheStore, ObjectProvider<JsonMapper> jsonMapper,
				ClusterProperties properties, CacheableReturnTypes clusterCacheableReturnTypes) {
			ClusterCacheProperties cache = properties.getCache();
			CacheValueTypes types = clusterCacheableReturnTypes.types();
			cache.getAllowedTypes().forEach(types::allow);
			cache.getTrustedPackages().forEach(types::trustPackage);
			return new ClusterCacheManager(clusterCacheStore, JsonMappers.applicationOrDefault(jsonMapper), types,
					cache.getTimeToLive(), cache.getTimeToLiveByCache(), cache.isCacheNullValues());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRedisTransport
	static class RedisStore {

		@Bean
		@ConditionalOnMissingBean
		CacheStore clusterCacheStore(@Qualifier(DedicatedRedis.CACHE) ObjectProvider<RedisConnectionFactory> cacheRedis,
				ObjectProvider<RedisConnectionFactory> applicationRedis, ClusterKeys keys, ClusterProperties properties,
				ClusterMetrics metrics) {
			RedisConnectionFactory connectionFactory = DedicatedRedis.choose(cacheRedis, applicationRedis);
			BlockingRedisPool popConnections = new BlockingRedisPool(new BlockingRedis(connectionFactory),
					properties.getCache().getPopConnections());
			return new RedisCacheStore(new StringRedisTemplate(connectionFactory), keys, popConnections,
					ReplicaWait.of(connectionFactory, properties.getRedis().getWaitReplicas(),
							properties.getRedis().getWaitTimeout(), metrics));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnLocalTransport
	static class LocalStore {

		@Bean
		@ConditionalOnMissingBean
		CacheStore clusterCacheStore() {
			return new LocalCacheStore();
		}

	}

}
