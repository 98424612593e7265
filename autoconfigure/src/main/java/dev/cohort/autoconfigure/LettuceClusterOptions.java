package dev.cohort.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;

/**
 * What Lettuce needs on a Redis Cluster for Cohort to go on through a failover, applied
 * to Boot's Lettuce cluster client before the application's own customizers (which may
 * undo it):
 * <ul>
 * <li>a periodic topology refresh, every {@value #REFRESH_PERIOD_SECONDS} s unless
 * {@code spring.data.redis.lettuce.cluster.refresh.period} sets one: Lettuce's adaptive
 * triggers (on by default) refresh on redirections and failed reconnections, but a
 * replica promoted in place of a dead master answers no redirection, and reconnection
 * attempts to the dead master grow rare;</li>
 * <li>commands rejected at once, rather than queued until the command timeout, on a
 * connection to a node that is down: Cohort's scripts are then sent again after a short
 * backoff (see {@code ClusterRetry}), and reach the promoted replica once the refresh has
 * seen it.</li>
 * </ul>
 * Other topologies are left as they are.
 */
final class LettuceClusterOptions implements LettuceClientOptionsBuilderCustomizer {

	static final int REFRESH_PERIOD_SECONDS = 5;

	private final DataRedisProperties.Lettuce.Cluster.@Nullable Refresh refresh;

	LettuceClusterOptions(@Nullable DataRedisProperties properties) {
		this.refresh = (properties != null) ? properties.getLettuce().getCluster().getRefresh() : null;
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (!(builder instanceof ClusterClientOptions.Builder cluster)) {
			return;
		}
		Duration period = (this.refresh != null) ? this.refresh.getPeriod() : null;
		if (period == null) {
			boolean dynamicSources = this.refresh == null || this.refresh.isDynamicRefreshSources();
			cluster.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.dynamicRefreshSources(dynamicSources)
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(REFRESH_PERIOD_SECONDS))
				.build());
		}
		cluster.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

}
