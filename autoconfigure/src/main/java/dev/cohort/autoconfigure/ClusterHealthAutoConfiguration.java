package dev.cohort.autoconfigure;

import java.util.function.BooleanSupplier;

import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.health.ClusterHealthIndicator;
import dev.cohort.cluster.health.internal.ClusterReadinessGroups;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.tasks.internal.TaskWorker;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code cluster} health contributor ({@code management.health.cluster.enabled}, on
 * by default), and with the actuator's health endpoint its place in the {@code readiness}
 * group. Ordered after Boot's probes auto-configuration, so that the readiness group it
 * decorates has been built first.
 */
@AutoConfiguration(after = { ClusterAutoConfiguration.class, ClusterTasksAutoConfiguration.class },
		afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ ClusterMembership.class, MembershipStore.class })
@ConditionalOnEnabledHealthIndicator("cluster")
public final class ClusterHealthAutoConfiguration {

	static final String INDICATOR = "clusterHealthIndicator";

	@Bean
	@ConditionalOnMissingBean(name = INDICATOR)
	ClusterHealthIndicator clusterHealthIndicator(ClusterMembership membership, MembershipStore membershipStore,
			ClusterProperties properties, ObjectProvider<RecurringScheduler> scheduler,
			ObjectProvider<TaskWorker> worker) {
		return new ClusterHealthIndicator(membership, membershipStore, properties.getHealth().getTimeout(),
				leader(scheduler.getIfUnique()), worker.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor",
			"org.springframework.boot.actuate.endpoint.annotation.Endpoint" })
	static class Readiness {

		@Bean
		ClusterReadinessGroups clusterReadinessGroups(Environment environment) {
			return new ClusterReadinessGroups("cluster", environment);
		}

	}

	private static @Nullable BooleanSupplier leader(@Nullable RecurringScheduler scheduler) {
		return (scheduler != null) ? scheduler::isLeader : null;
	}

}
