package dev.cohort.testapp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.test.redis.RedisServer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts test nodes as separate application contexts, all in one fresh namespace so that
 * tests sharing a Redis never see each other. Closes them all at the end.
 */
public final class TestNodes implements AutoCloseable {

	/** A token for tests. */
	public static final String TOKEN = "test-server-token-0123456789abcdef0123456789";

	private final Map<String, Object> common = new LinkedHashMap<>();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private TestNodes(Map<String, Object> common) {
		this.common.putAll(common);
	}

	/**
	 * Nodes on the Redis transport against the given server, with quick heartbeats.
	 * @param redis the server
	 * @return the nodes
	 */
	public static TestNodes redis(RedisServer redis) {
		return onRedis(Map.of("spring.data.redis.host", redis.host(), "spring.data.redis.port", redis.port()));
	}

	/**
	 * Nodes on the Redis transport against a Redis Cluster (through
	 * {@code spring.data.redis.cluster.nodes}), with quick heartbeats.
	 * @param cluster the cluster
	 * @return the nodes
	 */
	public static TestNodes redisCluster(RedisClusterSet cluster) {
		return onRedis(Map.of("spring.data.redis.cluster.nodes", String.join(",", cluster.nodeAddresses())));
	}

	/**
	 * Nodes on the Redis transport against a Redis Sentinel set-up (through
	 * {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes}), with quick heartbeats.
	 * @param sentinel the Sentinel set-up
	 * @return the nodes
	 */
	public static TestNodes redisSentinel(RedisSentinelSet sentinel) {
		return onRedis(Map.of("spring.data.redis.sentinel.master", sentinel.masterName(),
				"spring.data.redis.sentinel.nodes", String.join(",", sentinel.sentinelAddresses())));
	}

	private static TestNodes onRedis(Map<String, Object> connection) {
		Map<String, Object> properties = new LinkedHashMap<>(connection);
		properties.put("cluster.transport", "redis");
		properties.put("cluster.server-token", TOKEN);
		properties.put("cluster.namespace", "test-" + UUID.randomUUID().toString().substring(0, 8));
		properties.put("cluster.heartbeat-interval", "200ms");
		properties.put("cluster.node-timeout", "1500ms");
		return new TestNodes(properties);
	}

	/**
	 * A node on the local transport.
	 * @return the nodes
	 */
	public static TestNodes local() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cluster.transport", "local");
		properties.put("spring.data.redis.port", 1);
		return new TestNodes(properties);
	}

	/**
	 * The properties every node gets.
	 * @return the properties, which may be changed before starting nodes
	 */
	public Map<String, Object> common() {
		return this.common;
	}

	/**
	 * Starts a node.
	 * @param properties extra properties as {@code key=value}
	 * @return the node's context
	 */
	public ConfigurableApplicationContext start(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestNodeApplication.class)
			.web(WebApplicationType.NONE)
			.properties(this.common)
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * Starts a node with a servlet web server on a free port, so that it serves the
	 * WebSocket endpoint.
	 * @param properties extra properties as {@code key=value}
	 * @return the node's context
	 */
	public ConfigurableApplicationContext startWeb(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestNodeApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(this.common)
			.properties("server.port=0", "server.address=127.0.0.1")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * The command line arguments that start a node with these properties in another
	 * process.
	 * @param properties extra properties as {@code key=value}
	 * @return the arguments
	 */
	public List<String> arguments(String... properties) {
		Map<String, Object> all = new LinkedHashMap<>(this.common);
		for (String property : properties) {
			String[] keyAndValue = property.split("=", 2);
			all.put(keyAndValue[0], keyAndValue[1]);
		}
		List<String> arguments = new ArrayList<>();
		all.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		return arguments;
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
