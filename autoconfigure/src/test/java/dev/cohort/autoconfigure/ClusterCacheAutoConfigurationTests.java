package dev.cohort.autoconfigure;

import java.time.Duration;

import dev.cohort.cache.CacheStore;
import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.internal.DefaultClusterCache;
import dev.cohort.cache.local.LocalCacheStore;
import dev.cohort.cache.redis.RedisCacheStore;
import dev.cohort.cache.spring.ClusterCacheManager;
import dev.cohort.cache.spring.ClusterSpringCache;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The cache auto-configuration.
 */
class ClusterCacheAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingEnabled.class)
		.withPropertyValues("cluster.transport=local");

	@Test
	void localTransportKeepsTheCacheInMemoryAndProvidesACacheManager() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultClusterCache.class)
				.hasSingleBean(CacheManager.class)
				.hasSingleBean(ClusterCacheManager.class);
			assertThat(context.getBean(CacheStore.class)).isInstanceOf(LocalCacheStore.class);
			ClusterSpringCache users = (ClusterSpringCache) context.getBean(CacheManager.class).getCache("users");
			assertThat(users.getTimeToLive()).isNull();
			assertThat(users.isAllowNullValues()).isTrue();
		});
	}

	@Test
	void redisTransportKeepsTheCacheInRedis() {
		RedisServer redis = RedisServer.shared();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"cluster.server-token=" + TestNodes.TOKEN, "cluster.namespace=cache-autoconfig")
			.run((context) -> {
				assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
				ClusterCache cache = context.getBean(ClusterCache.class);
				cache.save("probe", "in redis", Duration.ofSeconds(30));
				assertThat(cache.load("probe", String.class)).contains("in redis");
			});
	}

	@Test
	void cacheManagerPropertiesTakeEffect() {
		this.runner
			.withPropertyValues("cluster.cache.time-to-live=10m", "cluster.cache.time-to-live-by-cache.users=30s",
					"cluster.cache.cache-null-values=false", "cluster.cache.trusted-packages=com.example.model")
			.run((context) -> {
				CacheManager manager = context.getBean(CacheManager.class);
				assertThat(((ClusterSpringCache) manager.getCache("users")).getTimeToLive())
					.isEqualTo(Duration.ofSeconds(30));
				ClusterSpringCache orders = (ClusterSpringCache) manager.getCache("orders");
				assertThat(orders.getTimeToLive()).isEqualTo(Duration.ofMinutes(10));
				assertThat(orders.isAllowNullValues()).isFalse();
				assertThat(context.getBean(ClusterProperties.class).getCache().getTrustedPackages())
					.containsExactly("com.example.model");
			});
	}

	@Test
	void cacheManagerCanBeSwitchedOff() {
		this.runner.withPropertyValues("cluster.cache.cache-manager=false").run((context) -> {
			assertThat(context).hasSingleBean(ClusterCache.class).doesNotHaveBean(ClusterCacheManager.class);
			assertThat(context).hasSingleBean(CacheManager.class);
		});
	}

	@Test
	void userBeansReplaceOurs() {
		ClusterCache cache = mock(ClusterCache.class);
		CacheStore store = new LocalCacheStore();
		CacheManager cacheManager = new ConcurrentMapCacheManager();
		this.runner.withBean(ClusterCache.class, () -> cache)
			.withBean(CacheStore.class, () -> store)
			.withBean(CacheManager.class, () -> cacheManager)
			.run((context) -> {
				assertThat(context.getBean(ClusterCache.class)).isSameAs(cache);
				assertThat(context.getBean(CacheStore.class)).isSameAs(store);
				assertThat(context.getBean(CacheManager.class)).isSameAs(cacheManager);
			});
	}

	@Test
	void nonPositiveTimeToLiveFailsWithWhatToSet() {
		this.runner.withPropertyValues("cluster.cache.time-to-live-by-cache.users=0s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("cluster.cache.time-to-live-by-cache.users");
			assertThat(analysis.getAction()).contains("Set cluster.cache.time-to-live-by-cache.users");
		});
	}

	@Test
	void jdkPackagesCannotBeTrustedWhole() {
		this.runner.withPropertyValues("cluster.cache.trusted-packages=com.example.model,java.util").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("cluster.cache.trusted-packages")
				.contains("'java.util'")
				.contains("java.util.Timer");
			assertThat(analysis.getAction()).contains("cluster.cache.allowed-types");
		});
	}

	@Test
	void allowedTypesMustBeClassesAndPopConnectionsPositive() {
		this.runner.withPropertyValues("cluster.cache.allowed-types=com.example.Missing")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("cluster.cache.pop-connections=0").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("cluster.cache.pop-connections");
		});
	}

	@Test
	void disabledClusterMeansNoCache() {
		this.runner.withPropertyValues("cluster.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ClusterCache.class).doesNotHaveBean(ClusterCacheManager.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingEnabled {

	}

}
