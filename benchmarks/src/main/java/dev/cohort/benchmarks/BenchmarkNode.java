package dev.cohort.benchmarks;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A Cohort node with nothing but the auto-configuration, started as its own application
 * context.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BenchmarkNode {

	static final String TOKEN = "benchmark-server-token-0123456789abcdefghij";

	static ConfigurableApplicationContext start(String host, int port, String namespace) {
		return start(host, port, namespace, Map.of());
	}

	/**
	 * Starts a node with more properties and beans of the caller's.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param namespace the cluster's namespace
	 * @param properties further properties, such as {@code cluster.role}
	 * @param beans objects registered as beans, so that bean post-processors (such as the
	 * one that finds {@code @ClusterTask} methods) see them; several nodes may share one
	 * @return the started node
	 */
	static ConfigurableApplicationContext start(String host, int port, String namespace, Map<String, Object> properties,
			Object... beans) {
		return start(WebApplicationType.NONE, host, port, namespace, properties, beans);
	}

	/**
	 * Starts a node with a servlet web server on a free loopback port, so that it serves
	 * Cohort's WebSocket endpoint (as a node with {@code cluster.role} {@code server} or
	 * {@code all} does).
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param namespace the cluster's namespace
	 * @param properties further properties
	 * @return the started node, a
	 * {@link org.springframework.boot.web.server.context.WebServerApplicationContext}
	 */
	static ConfigurableApplicationContext startWeb(String host, int port, String namespace,
			Map<String, Object> properties) {
		Map<String, Object> all = new HashMap<>(Map.of("server.port", 0, "server.address", "127.0.0.1"));
		all.putAll(properties);
		return start(WebApplicationType.SERVLET, host, port, namespace, all);
	}

	private static ConfigurableApplicationContext start(WebApplicationType type, String host, int port,
			String namespace, Map<String, Object> properties, Object... beans) {
		Map<String, Object> all = new HashMap<>(Map.of("spring.data.redis.host", host, "spring.data.redis.port", port,
				"cluster.namespace", namespace, "cluster.server-token", TOKEN));
		all.putAll(properties);
		return new SpringApplicationBuilder(BenchmarkNode.class).web(type).properties(all).initializers((context) -> {
			for (Object bean : beans) {
				register((GenericApplicationContext) context, bean);
			}
		}).run();
	}

	@SuppressWarnings("unchecked")
	private static <T> void register(GenericApplicationContext context, T bean) {
		context.registerBean((Class<T>) bean.getClass(), () -> bean);
	}

}
