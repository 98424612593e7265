package dev.cohort.benchmarks;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Cohort node with nothing but the auto-configuration, started as its own application
 * context.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BenchmarkNode {

	static final String TOKEN = "benchmark-server-token-0123456789abcdefghij";

	static ConfigurableApplicationContext start(String host, int port, String namespace) {
		return new SpringApplicationBuilder(BenchmarkNode.class).web(WebApplicationType.NONE)
			.properties(Map.of("spring.data.redis.host", host, "spring.data.redis.port", port, "cluster.namespace",
					namespace, "cluster.server-token", TOKEN))
			.run();
	}

}
