package dev.cohort.sample.rolling;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Cohort node inside the test's JVM that drives the load of
 * {@link RollingRestartTests}: a {@code server} node without a web server, which enqueues
 * the jobs, makes the RPC calls and reads the rooms. It knows the test's tasks, as every
 * node that enqueues them should.
 * <p>
 * Not a {@code @Configuration}, so that the sample's component scan, which covers this
 * package in the test tree, never picks it up.
 */
@EnableAutoConfiguration
public class RollingDriver {

	@Bean
	RollingTasks rollingTasks(StringRedisTemplate redis, ClusterNodes nodes, ClusterClock clock) {
		return new RollingTasks(redis, nodes, clock);
	}

}
