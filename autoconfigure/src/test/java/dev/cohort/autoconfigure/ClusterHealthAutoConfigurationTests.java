package dev.cohort.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.cohort.cluster.health.ClusterHealthIndicator;
import dev.cohort.cluster.health.internal.ClusterReadinessGroups;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cluster} health contributor's auto-configuration and its place in the
 * readiness group.
 */
class ClusterHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, ClusterTasksAutoConfiguration.class,
				ClusterHealthAutoConfiguration.class))
		.withPropertyValues("cluster.transport=local");

	private final ApplicationContextRunner withHealthEndpoint = this.runner
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
				AvailabilityProbesAutoConfiguration.class, HealthEndpointAutoConfiguration.class));

	@Test
	void aLocalNodeIsUpWithItsDetails() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ClusterHealthIndicator.class);
			Health health = context.getBean("clusterHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			Map<String, Object> details = health.getDetails();
			String nodeId = (String) details.get("nodeId");
			assertThat(details).containsEntry("role", "all")
				.containsEntry("members", List.of(nodeId))
				.containsEntry("memberCount", 1)
				.containsKeys("lastHeartbeatAgeMillis", "schedulerLeader");
			assertThat(details.get("worker")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("running", true)
				.containsEntry("runningJobs", 0)
				.containsEntry("consecutiveRenewalFailures", 0);
		});
	}

	@Test
	void aServerNodeHasNoWorkerNorSchedulerDetails() {
		this.runner.withPropertyValues("cluster.role=server").run((context) -> {
			Map<String, Object> details = context.getBean(ClusterHealthIndicator.class).health().getDetails();
			assertThat(details).containsEntry("role", "server").doesNotContainKeys("worker", "schedulerLeader");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("management.health.cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void backsOffWhenAllDefaultIndicatorsAreDisabled() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void backsOffForAnIndicatorOfTheApplicationsOwn() {
		this.runner.withBean("clusterHealthIndicator", HealthIndicator.class, () -> () -> Health.unknown().build())
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void backsOffWithoutTheCluster() {
		this.runner.withPropertyValues("cluster.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void aTimeoutThatIsNotPositiveFailsAtStartUp() {
		this.runner.withPropertyValues("cluster.health.timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasRootCauseMessage("cluster.health.timeout must be positive, not PT0S");
		});
	}

	@Test
	void theReadinessGroupIncludesTheCluster() {
		this.withHealthEndpoint.run((context) -> {
			assertThat(context).hasSingleBean(ClusterReadinessGroups.class);
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			HealthEndpointGroup readiness = groups.get("readiness");
			assertThat(readiness.isMember("cluster")).isTrue();
			assertThat(readiness.isMember("readinessState")).isTrue();
			assertThat(groups.get("liveness").isMember("cluster")).isFalse();
			assertThat(groups.getPrimary().isMember("cluster")).isTrue();
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
			assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
			assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void theApplicationsOwnReadinessMembersAreKept() {
		this.withHealthEndpoint.withPropertyValues("management.endpoint.health.group.readiness.include=readinessState")
			.run((context) -> {
				HealthEndpointGroup readiness = context.getBean(HealthEndpointGroups.class).get("readiness");
				assertThat(readiness.isMember("readinessState")).isTrue();
				assertThat(readiness.isMember("cluster")).isFalse();
			});
	}

	@Test
	void withoutProbesTheApplicationStartsWithoutAReadinessGroup() {
		this.withHealthEndpoint.withPropertyValues("management.endpoint.health.probes.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HealthEndpointGroups.class).get("readiness")).isNull();
		});
	}

	@Test
	void withTheIndicatorDisabledTheReadinessGroupIsBootsOwn() {
		this.withHealthEndpoint.withPropertyValues("management.health.cluster.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ClusterReadinessGroups.class);
			assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("readinessState"))
				.isTrue();
		});
	}

}
