package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ConnectionLocator;
import dev.cohort.rpc.RpcMethods;
import dev.cohort.rpc.internal.DefaultClusterRpc;
import dev.cohort.rpc.internal.RpcClient;
import dev.cohort.rpc.internal.RpcServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The RPC auto-configuration, on the local transport (its Redis side is the bus's).
 */
class ClusterRpcAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterRpcAutoConfiguration.class))
		.withPropertyValues("cluster.transport=local");

	@Test
	void defaults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RpcMethods.class)
				.hasSingleBean(RpcServer.class)
				.hasSingleBean(RpcClient.class)
				.hasSingleBean(DefaultClusterRpc.class);
			assertThat(context.getBean(ConnectionLocator.class)).isSameAs(ConnectionLocator.NONE);
			ClusterProperties properties = context.getBean(ClusterProperties.class);
			assertThat(properties.getRpcTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getRpc().getThreads()).isEqualTo(8);
			assertThat(properties.getRpc().getQueueCapacity()).isEqualTo(1000);
			assertThat(properties.getRpc().isSendStackTraces()).isFalse();
		});
	}

	@Test
	void propertiesTakeEffect() {
		this.runner
			.withPropertyValues("cluster.rpc-timeout=750ms", "cluster.rpc.threads=3", "cluster.rpc.queue-capacity=9",
					"cluster.rpc.send-stack-traces=true")
			.run((context) -> {
				ClusterProperties properties = context.getBean(ClusterProperties.class);
				assertThat(properties.getRpcTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(properties.getRpc().getThreads()).isEqualTo(3);
				assertThat(properties.getRpc().getQueueCapacity()).isEqualTo(9);
				assertThat(properties.getRpc().isSendStackTraces()).isTrue();
			});
	}

	@Test
	void userBeansReplaceOurs() {
		ConnectionLocator locator = (connectionId) -> Optional.of("somewhere");
		ClusterRpc rpc = mock(ClusterRpc.class);
		this.runner.withBean(ConnectionLocator.class, () -> locator)
			.withBean(ClusterRpc.class, () -> rpc)
			.run((context) -> {
				assertThat(context.getBean(ConnectionLocator.class)).isSameAs(locator);
				assertThat(context.getBean(ClusterRpc.class)).isSameAs(rpc);
			});
	}

	@Test
	void nonPositiveTimeoutFails() {
		this.runner.withPropertyValues("cluster.rpc-timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("cluster.rpc-timeout");
		});
	}

	@Test
	void disabledClusterMeansNoRpc() {
		this.runner.withPropertyValues("cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterRpc.class));
	}

}
