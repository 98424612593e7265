package dev.cohort.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LettuceClusterOptions}.
 */
class LettuceClusterOptionsTests {

	@Test
	void clusterClientRefreshesItsTopologyPeriodicallyAndRejectsCommandsForANodeThatIsDown() {
		ClusterClientOptions.Builder builder = ClusterClientOptions.builder();
		new LettuceClusterOptions(new DataRedisProperties()).customize(builder);
		ClusterClientOptions options = builder.build();
		assertThat(options.getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
		assertThat(options.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.getTopologyRefreshOptions().getAdaptiveRefreshTriggers())
			.containsExactlyInAnyOrder(ClusterTopologyRefreshOptions.RefreshTrigger.values());
		assertThat(options.getTopologyRefreshOptions().useDynamicRefreshSources()).isTrue();
		assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Test
	void aRefreshPeriodTheApplicationSetIsKept() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.getLettuce().getCluster().getRefresh().setPeriod(Duration.ofSeconds(30));
		ClusterClientOptions.Builder builder = ClusterClientOptions.builder()
			.topologyRefreshOptions(
					ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(Duration.ofSeconds(30)).build());
		new LettuceClusterOptions(properties).customize(builder);
		assertThat(builder.build().getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void otherTopologiesAreLeftAsTheyAre() {
		ClientOptions.Builder builder = ClientOptions.builder();
		new LettuceClusterOptions(new DataRedisProperties()).customize(builder);
		assertThat(builder.build().getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.DEFAULT);
	}

}
