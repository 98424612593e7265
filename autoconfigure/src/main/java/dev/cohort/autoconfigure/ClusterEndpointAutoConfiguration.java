package dev.cohort.autoconfigure;

import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.actuate.ClusterEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cluster} actuator endpoint, with Spring Boot's actuator on the classpath.
 * Like any endpoint it is available once exposed, and Boot exposes none but
 * {@code health} on the web by default:
 * {@code management.endpoints.web.exposure.include=cluster} exposes it.
 */
@AutoConfiguration(after = ClusterOperationsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
@ConditionalOnBean(ClusterOperations.class)
public final class ClusterEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterEndpoint clusterEndpoint(ClusterOperations operations) {
		return new ClusterEndpoint(operations);
	}

}
