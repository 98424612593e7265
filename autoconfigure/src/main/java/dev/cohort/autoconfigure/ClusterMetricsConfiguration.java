package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.micrometer.MicrometerClusterMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cohort's metrics: Micrometer meters when a {@link MeterRegistry} exists, else nothing.
 */
@Configuration(proxyBeanMethods = false)
class ClusterMetricsConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MicrometerMetrics {

		@Bean
		@ConditionalOnMissingBean
		ClusterMetrics clusterMetrics(ObjectProvider<MeterRegistry> registry) {
			MeterRegistry meterRegistry = registry.getIfUnique();
			return (meterRegistry != null) ? new MicrometerClusterMetrics(meterRegistry) : ClusterMetrics.NONE;
		}

	}

	@Bean
	@ConditionalOnMissingBean
	ClusterMetrics clusterMetrics() {
		return ClusterMetrics.NONE;
	}

}
