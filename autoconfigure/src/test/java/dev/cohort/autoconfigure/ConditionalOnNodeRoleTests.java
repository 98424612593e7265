package dev.cohort.autoconfigure;

import dev.cohort.cluster.NodeRole;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans each role gets.
 */
class ConditionalOnNodeRoleTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(RoleBeans.class);

	@Test
	void allTakesOnEveryDutyByDefault() {
		this.runner
			.run((context) -> assertThat(context).hasBean("serverDuty").hasBean("workerDuty").hasBean("allDuty"));
	}

	@Test
	void serverTakesOnServerDutiesOnly() {
		this.runner.withPropertyValues("cluster.role=server")
			.run((context) -> assertThat(context).hasBean("serverDuty")
				.doesNotHaveBean("workerDuty")
				.doesNotHaveBean("allDuty"));
	}

	@Test
	void workerTakesOnWorkerDutiesOnly() {
		this.runner.withPropertyValues("cluster.role=WORKER")
			.run((context) -> assertThat(context).hasBean("workerDuty")
				.doesNotHaveBean("serverDuty")
				.doesNotHaveBean("allDuty"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RoleBeans {

		@Bean
		@ConditionalOnNodeRole(NodeRole.SERVER)
		String serverDuty() {
			return "server";
		}

		@Bean
		@ConditionalOnNodeRole(NodeRole.WORKER)
		String workerDuty() {
			return "worker";
		}

		@Bean
		@ConditionalOnNodeRole(NodeRole.ALL)
		String allDuty() {
			return "all";
		}

	}

}
