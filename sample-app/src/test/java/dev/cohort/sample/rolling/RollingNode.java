package dev.cohort.sample.rolling;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.sample.SampleApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One node process of {@link RollingRestartTests}: the sample application, with the
 * test's tasks and RPC method ({@link RollingTasks}) added. The test starts it with
 * {@code java -cp <the test class path> dev.cohort.sample.rolling.RollingNode --spring.profiles.active=redis,server ...}
 * and stops it with SIGTERM.
 * <p>
 * Neither this class nor {@link RollingTasks} is a component: the sample's component scan
 * covers this package in the test tree, and the other sample tests must not see them.
 */
public class RollingNode {

	public static void main(String[] args) {
		new SpringApplicationBuilder(SampleApplication.class, RollingNode.class).run(args);
	}

	@Bean
	RollingTasks rollingTasks(StringRedisTemplate redis, ClusterNodes nodes, ClusterClock clock) {
		return new RollingTasks(redis, nodes, clock);
	}

}
