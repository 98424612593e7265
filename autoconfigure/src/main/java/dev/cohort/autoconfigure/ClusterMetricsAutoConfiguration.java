package dev.cohort.autoconfigure;

import java.util.Map;

import dev.cohort.cache.micrometer.ClusterCacheMeterBinderProvider;
import dev.cohort.cache.micrometer.internal.ClusterCacheMetricsBinder;
import dev.cohort.cache.spring.ClusterCacheManager;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.micrometer.ClusterGauges;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.internal.ConnectionHub;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.internal.RecurringScheduler;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cohort's gauges ({@link ClusterGauges}) and the cache meters of its
 * {@link ClusterCacheManager}, when the application has a {@link MeterRegistry}. Ordered
 * after the registries are made and before Boot's cache metrics, which bind caches
 * through the {@link ClusterCacheMeterBinderProvider} defined here.
 */
@AutoConfiguration(
		after = { ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class,
				ClusterConnectionsAutoConfiguration.class, ClusterTasksAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ClusterBus.class })
public final class ClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterGauges clusterGauges(MeterRegistry registry, ClusterProperties properties,
			ObjectProvider<ClusterTasks> tasks, ObjectProvider<ConnectionStore> connectionStore,
			ObjectProvider<ConnectionHub> connectionHub, ObjectProvider<RecurringScheduler> scheduler) {
		ClusterTasks clusterTasks = tasks.getIfUnique();
		ConnectionStore store = connectionStore.getIfUnique();
		ConnectionHub hub = connectionHub.getIfUnique();
		RecurringScheduler recurringScheduler = scheduler.getIfUnique();
		return new ClusterGauges(registry, properties.getMetrics().getRefreshInterval(),
				(clusterTasks != null) ? clusterTasks::stats : null, (store != null) ? store::roomCount : null,
				(hub != null) ? hub::localConnectionCount : null,
				(recurringScheduler != null) ? recurringScheduler::isLeader : null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.cache.metrics.CacheMeterBinderProvider")
	@ConditionalOnBean(ClusterCacheManager.class)
	static class CacheMetrics {

		@Bean
		@ConditionalOnMissingBean
		ClusterCacheMeterBinderProvider clusterCacheMeterBinderProvider() {
			return new ClusterCacheMeterBinderProvider();
		}

		@Bean
		ClusterCacheMetricsBinder clusterCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar,
				Map<String, ClusterCacheManager> cacheManagers) {
			return new ClusterCacheMetricsBinder(registrar, cacheManagers);
		}

	}

}
