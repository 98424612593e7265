package dev.cohort.autoconfigure;

import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.actuate.ClusterEndpoint;
import dev.cohort.operations.internal.DefaultClusterOperations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The auto-configuration of the operations service and of the {@code cluster} endpoint.
 */
class ClusterOperationsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, ClusterConnectionsAutoConfiguration.class,
				ClusterRpcAutoConfiguration.class, ClusterTasksAutoConfiguration.class,
				ClusterOperationsAutoConfiguration.class, EndpointAutoConfiguration.class,
				ClusterEndpointAutoConfiguration.class))
		.withPropertyValues("cluster.transport=local");

	@Test
	void everyNodeHasTheServiceOnItsCapabilities() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultClusterOperations.class);
			ClusterOperations operations = context.getBean(ClusterOperations.class);
			assertThat(operations.overview().nodes()).singleElement()
				.satisfies((node) -> assertThat(node.lastHeartbeat()).isNotNull());
		});
	}

	@Test
	void backsOffForTheApplicationsOwnService() {
		this.runner.withUserConfiguration(UserOperations.class).run((context) -> {
			assertThat(context).hasSingleBean(ClusterOperations.class).doesNotHaveBean(DefaultClusterOperations.class);
			assertThat(context.getBean(ClusterOperations.class)).isSameAs(UserOperations.OPERATIONS);
		});
	}

	@Test
	void theEndpointIsThereOnceExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=cluster")
			.run((context) -> assertThat(context).hasSingleBean(ClusterEndpoint.class));
	}

	@Test
	void theEndpointIsNotThereUnlessExposed() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ClusterOperations.class)
			.doesNotHaveBean(ClusterEndpoint.class));
	}

	@Test
	void theEndpointIsNotThereWhenItsAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=cluster",
					"management.endpoint.cluster.access=NONE")
			.run((context) -> assertThat(context).hasSingleBean(ClusterOperations.class)
				.doesNotHaveBean(ClusterEndpoint.class));
	}

	@Test
	void theEndpointIsNotThereWithoutTheActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=cluster")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ClusterOperations.class)
				.doesNotHaveBean(ClusterEndpoint.class));
	}

	@Test
	void nothingWhenTheClusterIsOff() {
		this.runner.withPropertyValues("cluster.enabled=false", "management.endpoints.web.exposure.include=cluster")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ClusterOperations.class)
				.doesNotHaveBean(ClusterEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserOperations {

		static final ClusterOperations OPERATIONS = mock(ClusterOperations.class);

		@Bean
		ClusterOperations userOperations() {
			return OPERATIONS;
		}

	}

}
