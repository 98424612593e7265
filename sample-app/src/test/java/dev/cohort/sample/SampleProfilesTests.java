package dev.cohort.sample;

import java.util.UUID;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The sample's profiles, started the way a user would and stopped at the first failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleProfilesTests {

	@Test
	void redisProfileWithoutServerTokenFailsAtStartUp(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(SampleApplication.class)
			.environment(new WithoutEnvironmentVariables())
			.web(WebApplicationType.NONE)
			.profiles("redis", "worker");
		// A reachable Redis: Cohort registers the node (which needs Redis) before it
		// checks the token, so an unreachable Redis would be reported first.
		RedisServer redis = RedisServer.shared();
		assertThatException()
			.isThrownBy(
					() -> application
						.run("--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
								"--cluster.namespace=sample-profiles-" + UUID.randomUUID().toString().substring(0, 8))
						.close())
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getRootCause(ex))
				.isInstanceOf(ClusterConfigurationException.class));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No server token is configured")
			.contains("Set cluster.server-token (for example through the CLUSTER_SERVER_TOKEN environment variable)");
	}

	/**
	 * An environment that ignores the environment variables, so that a
	 * {@code CLUSTER_SERVER_TOKEN} of the machine that runs the tests cannot leak in.
	 */
	static class WithoutEnvironmentVariables extends StandardEnvironment {

		@Override
		protected void customizePropertySources(MutablePropertySources propertySources) {
			propertySources
				.addLast(new MapPropertySource(SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, getSystemProperties()));
		}

	}

}
