package dev.cohort.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.cohort.autoconfigure.ClusterProperties.Transport;
import dev.cohort.cluster.ClusterConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * The Redis of one capability's own ({@code cluster.tasks.redis.*},
 * {@code cluster.cache.redis.*}, {@code cluster.messages.redis.*}): its checks, the
 * Lettuce connection factory built from it, and the choice between it and the
 * application's factory.
 */
final class DedicatedRedis {

	/** The name of the task queue's own connection factory. */
	static final String TASKS = "clusterTasksRedisConnectionFactory";

	/** The name of the cache's own connection factory. */
	static final String CACHE = "clusterCacheRedisConnectionFactory";

	/** The name of the message bus's own connection factory. */
	static final String MESSAGES = "clusterMessagesRedisConnectionFactory";

	private DedicatedRedis() {
	}

	/**
	 * The groups, by property prefix, that are set.
	 */
	static Map<String, ClusterRedisProperties> configured(ClusterProperties properties) {
		Map<String, ClusterRedisProperties> groups = new java.util.LinkedHashMap<>();
		putIfSet(groups, "cluster.tasks.redis", properties.getTasks().getRedis());
		putIfSet(groups, "cluster.cache.redis", properties.getCache().getRedis());
		putIfSet(groups, "cluster.messages.redis", properties.getMessages().getRedis());
		return groups;
	}

	private static void putIfSet(Map<String, ClusterRedisProperties> groups, String prefix,
			@Nullable ClusterRedisProperties redis) {
		if (redis != null) {
			groups.put(prefix, redis);
		}
	}

	/**
	 * Checks every group that is set, so that a misconfigured Redis stops the node with
	 * what to set.
	 */
	static void validate(ClusterProperties properties) {
		Map<String, ClusterRedisProperties> groups = configured(properties);
		if (!groups.isEmpty() && properties.getTransport() == Transport.LOCAL) {
			throw new ClusterConfigurationException(
					String.join(", ", groups.keySet()) + " is set, but cluster.transport=local uses no Redis",
					"Remove " + String.join(".*, ", groups.keySet())
							+ ".*, or set cluster.transport=redis (the default).");
		}
		groups.forEach(DedicatedRedis::check);
	}

	private static void check(String prefix, ClusterRedisProperties redis) {
		boolean standalone = StringUtils.hasText(redis.getUrl()) || StringUtils.hasText(redis.getHost())
				|| redis.getPort() != null;
		boolean sentinel = StringUtils.hasText(redis.getSentinel().getMaster())
				|| !redis.getSentinel().getNodes().isEmpty();
		boolean cluster = !redis.getCluster().getNodes().isEmpty();
		String ways = prefix + ".host/port (or url), " + prefix + ".sentinel.master/nodes or " + prefix
				+ ".cluster.nodes";
		if ((standalone ? 1 : 0) + (sentinel ? 1 : 0) + (cluster ? 1 : 0) > 1) {
			throw new ClusterConfigurationException(
					prefix + " names more than one kind of Redis: a standalone server, a Sentinel set and a "
							+ "Redis Cluster are mutually exclusive",
					"Set only one of " + ways + ".");
		}
		if (StringUtils.hasText(redis.getUrl()) && (StringUtils.hasText(redis.getHost()) || redis.getPort() != null)) {
			throw new ClusterConfigurationException(prefix + ".url and " + prefix + ".host/port are both set",
					"Set either " + prefix + ".url (which carries host, port, credentials and database) or " + prefix
							+ ".host and " + prefix + ".port, not both.");
		}
		if (StringUtils.hasText(redis.getUrl())) {
			url(prefix, redis.getUrl());
		}
		if (sentinel && (!StringUtils.hasText(redis.getSentinel().getMaster())
				|| redis.getSentinel().getNodes().isEmpty())) {
			throw new ClusterConfigurationException(
					prefix + ".sentinel needs both the master's name and the sentinels' addresses",
					"Set " + prefix + ".sentinel.master (the name the sentinels monitor) and " + prefix
							+ ".sentinel.nodes (host:port of each sentinel).");
		}
		if (cluster && redis.getDatabase() != 0) {
			throw new ClusterConfigurationException(
					prefix + ".database is " + redis.getDatabase() + ", but a Redis Cluster has only database 0",
					"Remove " + prefix + ".database, or point " + prefix + " at a standalone or Sentinel Redis.");
		}
		nodes(prefix + ".sentinel.nodes", redis.getSentinel().getNodes());
		nodes(prefix + ".cluster.nodes", redis.getCluster().getNodes());
	}

	private static RedisURI url(String prefix, String url) {
		try {
			String scheme = new URI(url).getScheme();
			if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
				throw new URISyntaxException(url, "the scheme is not redis:// or rediss://");
			}
			return RedisURI.create(url);
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			throw new ClusterConfigurationException(prefix + ".url is not a Redis URL: " + ex.getMessage(),
					"Set " + prefix + ".url to redis://[user:password@]host[:port][/database] (rediss:// for SSL), "
							+ "or use " + prefix + ".sentinel.* or " + prefix + ".cluster.nodes for those.");
		}
	}

	private static List<RedisNode> nodes(String property, List<String> addresses) {
		List<RedisNode> nodes = new ArrayList<>();
		for (String address : addresses) {
			int colon = address.lastIndexOf(':');
			try {
				nodes.add(new RedisNode(address.substring(0, colon).trim(),
						Integer.parseInt(address.substring(colon + 1).trim())));
			}
			catch (RuntimeException ex) {
				throw new ClusterConfigurationException(property + " holds '" + address + "', not host:port",
						"Set " + property + " to host:port pairs separated by commas, such as "
								+ "redis-1:6379,redis-2:6379.");
			}
		}
		return nodes;
	}

	/**
	 * A Lettuce connection factory for a group, not yet started.
	 * @param prefix the group's property prefix
	 * @param redis the group
	 * @param resources the application's client resources, shared, if any
	 * @param sslBundles the application's SSL bundles, if any
	 * @return the factory
	 */
	static LettuceConnectionFactory connectionFactory(String prefix, ClusterRedisProperties redis,
			@Nullable ClientResources resources, @Nullable SslBundles sslBundles) {
		RedisConfiguration configuration = configuration(prefix, redis);
		boolean cluster = configuration instanceof RedisClusterConfiguration;
		ClientOptions.Builder options = cluster ? ClusterClientOptions.builder() : ClientOptions.builder();
		// On a Redis Cluster, the same failover settings as the application's client gets
		new LettuceClusterOptions(null).customize(options);
		options.timeoutOptions(TimeoutOptions.enabled());
		if (redis.getConnectTimeout() != null) {
			options.socketOptions(SocketOptions.builder().connectTimeout(redis.getConnectTimeout()).build());
		}
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		SslBundle bundle = sslBundle(prefix, redis, sslBundles);
		if (bundle != null) {
			options.sslOptions(sslOptions(bundle));
		}
		if (bundle != null || Boolean.TRUE.equals(redis.getSsl().getEnabled())
				|| (redis.getUrl() != null && redis.getUrl().startsWith("rediss:"))) {
			client.useSsl();
		}
		if (redis.getTimeout() != null) {
			client.commandTimeout(redis.getTimeout());
		}
		if (StringUtils.hasText(redis.getClientName())) {
			client.clientName(redis.getClientName());
		}
		if (resources != null) {
			client.clientResources(resources);
		}
		client.clientOptions(options.build());
		// The typed constructors, so that the factory's getters describe the
		// configuration.
		if (configuration instanceof RedisClusterConfiguration clusterConfiguration) {
			return new LettuceConnectionFactory(clusterConfiguration, client.build());
		}
		if (configuration instanceof RedisSentinelConfiguration sentinelConfiguration) {
			return new LettuceConnectionFactory(sentinelConfiguration, client.build());
		}
		return new LettuceConnectionFactory((RedisStandaloneConfiguration) configuration, client.build());
	}

	private static RedisConfiguration configuration(String prefix, ClusterRedisProperties redis) {
		ClusterRedisProperties.Sentinel sentinel = redis.getSentinel();
		if (!redis.getCluster().getNodes().isEmpty()) {
			RedisClusterConfiguration cluster = new RedisClusterConfiguration();
			cluster.setClusterNodes(nodes(prefix + ".cluster.nodes", redis.getCluster().getNodes()));
			if (redis.getCluster().getMaxRedirects() != null) {
				cluster.setMaxRedirects(redis.getCluster().getMaxRedirects());
			}
			cluster.setUsername(redis.getUsername());
			cluster.setPassword(RedisPassword.of(redis.getPassword()));
			return cluster;
		}
		if (StringUtils.hasText(sentinel.getMaster())) {
			RedisSentinelConfiguration configuration = new RedisSentinelConfiguration();
			configuration.master(sentinel.getMaster());
			configuration.setSentinels(nodes(prefix + ".sentinel.nodes", sentinel.getNodes()));
			configuration.setSentinelUsername(sentinel.getUsername());
			configuration.setSentinelPassword(RedisPassword.of(sentinel.getPassword()));
			configuration.setUsername(redis.getUsername());
			configuration.setPassword(RedisPassword.of(redis.getPassword()));
			configuration.setDatabase(redis.getDatabase());
			return configuration;
		}
		if (StringUtils.hasText(redis.getUrl())) {
			// Standalone: the scheme was checked to be redis:// or rediss://.
			return (RedisStandaloneConfiguration) LettuceConnectionFactory
				.createRedisConfiguration(url(prefix, redis.getUrl()));
		}
		RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration();
		standalone.setHostName(StringUtils.hasText(redis.getHost()) ? redis.getHost() : "localhost");
		standalone.setPort((redis.getPort() != null) ? redis.getPort() : RedisURI.DEFAULT_REDIS_PORT);
		standalone.setUsername(redis.getUsername());
		standalone.setPassword(RedisPassword.of(redis.getPassword()));
		standalone.setDatabase(redis.getDatabase());
		return standalone;
	}

	private static @Nullable SslBundle sslBundle(String prefix, ClusterRedisProperties redis,
			@Nullable SslBundles sslBundles) {
		String name = redis.getSsl().getBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		try {
			if (sslBundles == null) {
				throw new NoSuchSslBundleException(name, "there are no SSL bundles");
			}
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new ClusterConfigurationException(
					prefix + ".ssl.bundle names '" + name + "', which is not a known SSL bundle",
					"Define the bundle under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem." + name
							+ ".*, or correct " + prefix + ".ssl.bundle.",
					ex);
		}
	}

	private static SslOptions sslOptions(SslBundle bundle) {
		SslOptions.Builder ssl = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		if (bundle.getOptions().getCiphers() != null) {
			ssl.cipherSuites(bundle.getOptions().getCiphers());
		}
		if (bundle.getOptions().getEnabledProtocols() != null) {
			ssl.protocols(bundle.getOptions().getEnabledProtocols());
		}
		return ssl.build();
	}

	/**
	 * The connection factory a capability uses: its own when there is one, else the
	 * application's.
	 * @param dedicated the capability's own factory, if any
	 * @param application the application's factories
	 * @return the factory
	 */
	static RedisConnectionFactory choose(ObjectProvider<RedisConnectionFactory> dedicated,
			ObjectProvider<RedisConnectionFactory> application) {
		RedisConnectionFactory own = dedicated.getIfAvailable();
		return (own != null) ? own : application(application);
	}

	/**
	 * The application's connection factory, which must be the only one.
	 * @param application the application's factories
	 * @return the factory
	 */
	static RedisConnectionFactory application(ObjectProvider<RedisConnectionFactory> application) {
		RedisConnectionFactory factory = application.getIfUnique();
		if (factory == null) {
			throw new ClusterConfigurationException(
					"cluster.transport=redis needs a RedisConnectionFactory, and there is none (or more than one)",
					"Keep Spring Boot's Redis auto-configuration (spring.data.redis.*) enabled, or define "
							+ "exactly one RedisConnectionFactory bean. To run without Redis, set "
							+ "cluster.transport=local.");
		}
		return factory;
	}

}
