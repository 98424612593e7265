package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Redis of one capability's own ({@code cluster.tasks.redis.*},
 * {@code cluster.cache.redis.*}, {@code cluster.messages.redis.*}), with the shape of
 * Spring Boot's {@code spring.data.redis.*}: a standalone server ({@code host}/
 * {@code port} or {@code url}), a Sentinel set ({@code sentinel.*}) or a Redis Cluster
 * ({@code cluster.*}). When a group is not set at all, the capability uses the
 * application's own {@code RedisConnectionFactory}.
 */
public class ClusterRedisProperties {

	/**
	 * Connection URL, such as redis://user:password@example.com:6379/0 (rediss:// for
	 * SSL). Replaces host, port, username, password and database; set either it or host.
	 */
	private @Nullable String url;

	/**
	 * Redis server host (localhost when neither it nor url is set).
	 */
	private @Nullable String host;

	/**
	 * Redis server port (6379 when not set).
	 */
	private @Nullable Integer port;

	/**
	 * Login username of the Redis server (an ACL user).
	 */
	private @Nullable String username;

	/**
	 * Login password of the Redis server.
	 */
	private @Nullable String password;

	/**
	 * Database index (standalone and Sentinel only; a Redis Cluster has only database 0).
	 */
	private int database;

	/**
	 * Read timeout: how long a command may wait for its answer.
	 */
	private @Nullable Duration timeout;

	/**
	 * How long connecting to the server may take.
	 */
	private @Nullable Duration connectTimeout;

	/**
	 * Client name set on connections with CLIENT SETNAME.
	 */
	private @Nullable String clientName;

	private final Ssl ssl = new Ssl();

	private final Sentinel sentinel = new Sentinel();

	private final Cluster cluster = new Cluster();

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public int getDatabase() {
		return this.database;
	}

	public void setDatabase(int database) {
		this.database = database;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable String getClientName() {
		return this.clientName;
	}

	public void setClientName(@Nullable String clientName) {
		this.clientName = clientName;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Sentinel getSentinel() {
		return this.sentinel;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	/**
	 * SSL to the server.
	 */
	public static class Ssl {

		/**
		 * Whether to connect with SSL (on when a bundle is set or the url starts with
		 * rediss://).
		 */
		private @Nullable Boolean enabled;

		/**
		 * SSL bundle name (spring.ssl.bundle.*) for the key and trust material.
		 */
		private @Nullable String bundle;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * A Redis Sentinel set: the master is found through the sentinels.
	 */
	public static class Sentinel {

		/**
		 * Name of the Redis master the sentinels watch.
		 */
		private @Nullable String master;

		/**
		 * Sentinels as host:port pairs, separated by commas.
		 */
		private List<String> nodes = new ArrayList<>();

		/**
		 * Login username for the sentinels.
		 */
		private @Nullable String username;

		/**
		 * Login password for the sentinels.
		 */
		private @Nullable String password;

		public @Nullable String getMaster() {
			return this.master;
		}

		public void setMaster(@Nullable String master) {
			this.master = master;
		}

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * A Redis Cluster.
	 */
	public static class Cluster {

		/**
		 * Some of the cluster's nodes, as host:port pairs separated by commas (at least
		 * one must answer at start-up).
		 */
		private List<String> nodes = new ArrayList<>();

		/**
		 * Most redirections a command follows across the cluster.
		 */
		private @Nullable Integer maxRedirects;

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

		public @Nullable Integer getMaxRedirects() {
			return this.maxRedirects;
		}

		public void setMaxRedirects(@Nullable Integer maxRedirects) {
			this.maxRedirects = maxRedirects;
		}

	}

}
