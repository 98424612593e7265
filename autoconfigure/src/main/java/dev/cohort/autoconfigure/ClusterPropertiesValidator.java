package dev.cohort.autoconfigure;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import dev.cohort.autoconfigure.ClusterProperties.Transport;
import dev.cohort.cache.spring.CacheValueTypes;
import dev.cohort.cluster.ClusterConfigurationException;

import org.springframework.util.StringUtils;

/**
 * Checks {@link ClusterProperties} at start-up, so that a misconfiguration stops the
 * application with a message that says what to set instead of failing later.
 */
final class ClusterPropertiesValidator {

	static final int MIN_TOKEN_LENGTH = 32;

	private static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(10);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

	private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._-]+");

	private ClusterPropertiesValidator() {
	}

	/**
	 * Checks everything that can be checked without Redis, so that a misconfigured node
	 * fails before it touches Redis.
	 */
	static void validate(ClusterProperties properties) {
		checkNamespace(properties);
		checkNames(properties);
		checkTimings(properties);
		checkCache(properties.getCache());
		checkTasks(properties.getTasks());
		checkConnections(properties.getConnections());
		checkChat(properties.getChat());
		checkOperations(properties);
		DedicatedRedis.validate(properties);
		previousServerTokens(properties);
		if (properties.getTransport() == Transport.REDIS) {
			serverToken(properties);
		}
	}

	private static void checkOperations(ClusterProperties properties) {
		Duration timeout = properties.getHealth().getTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new ClusterConfigurationException("cluster.health.timeout must be positive, not " + timeout,
					"Set cluster.health.timeout to a duration such as 800ms.");
		}
		checkRedis(properties.getRedis());
		Duration refresh = properties.getMetrics().getRefreshInterval();
		if (refresh.isNegative() || refresh.isZero()) {
			throw new ClusterConfigurationException("cluster.metrics.refresh-interval must be positive, not " + refresh,
					"Set cluster.metrics.refresh-interval to a duration such as 5s.");
		}
	}

	private static void checkRedis(ClusterProperties.Redis redis) {
		if (redis.getWaitReplicas() < 0) {
			throw new ClusterConfigurationException(
					"cluster.redis.wait-replicas must be 0 or more, not " + redis.getWaitReplicas(),
					"Set cluster.redis.wait-replicas to 0 (no wait) or to the replicas a write must reach, such as 1.");
		}
		Duration timeout = redis.getWaitTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new ClusterConfigurationException("cluster.redis.wait-timeout must be positive, not " + timeout,
					"Set cluster.redis.wait-timeout to a duration such as 1s.");
		}
	}

	/**
	 * The token that signs messages: the configured one, or with the local transport a
	 * random one when none is configured.
	 */
	static String serverToken(ClusterProperties properties) {
		String token = properties.getServerToken();
		if (!StringUtils.hasText(token)) {
			if (properties.getTransport() == Transport.LOCAL) {
				byte[] random = new byte[32];
				new SecureRandom().nextBytes(random);
				return Base64.getEncoder().encodeToString(random);
			}
			throw new ClusterConfigurationException(
					"No server token is configured: with cluster.transport=redis every message between nodes is "
							+ "signed with it",
					"Set cluster.server-token (for example through the CLUSTER_SERVER_TOKEN environment variable) "
							+ "to the same secret of at least " + MIN_TOKEN_LENGTH + " characters on every node, "
							+ "e.g. the output of 'openssl rand -base64 32'. For a solitary node without Redis, set "
							+ "cluster.transport=local.");
		}
		checkLength("cluster.server-token", token);
		return token;
	}

	static List<String> previousServerTokens(ClusterProperties properties) {
		List<String> tokens = properties.getPreviousServerTokens();
		for (int i = 0; i < tokens.size(); i++) {
			checkLength("cluster.previous-server-tokens[" + i + "]", tokens.get(i));
		}
		return List.copyOf(tokens);
	}

	private static void checkLength(String property, String token) {
		if (token != null && token.contains("${")) {
			// Not a word of the value: the text around the placeholder may be part of the
			// secret, and this message ends up in logs and failure reports.
			throw new ClusterConfigurationException(property + " holds an unresolved placeholder (${...})",
					"Define the property or environment variable that " + property
							+ " refers to, or give the placeholder a default such as ${CLUSTER_SERVER_TOKEN:}.");
		}
		if (token == null || token.length() < MIN_TOKEN_LENGTH) {
			throw new ClusterConfigurationException(
					property + " is too short: " + ((token != null) ? token.length() : 0) + " characters",
					"Set " + property + " to a secret of at least " + MIN_TOKEN_LENGTH
							+ " characters, e.g. the output of 'openssl rand -base64 32'.");
		}
	}

	private static void checkCache(ClusterCacheProperties cache) {
		if (cache.getTimeToLive() != null && cache.getTimeToLive().toMillis() < 1) {
			throw new ClusterConfigurationException(
					"cluster.cache.time-to-live must be at least 1ms, not " + cache.getTimeToLive(),
					"Set cluster.cache.time-to-live to a duration such as 10m, or remove it so that entries "
							+ "never expire.");
		}
		if (cache.getPopConnections() < 1) {
			throw new ClusterConfigurationException(
					"cluster.cache.pop-connections must be at least 1, not " + cache.getPopConnections(),
					"Set cluster.cache.pop-connections to the number of blocking pops that may wait at once "
							+ "(default 8).");
		}
		for (String trusted : cache.getTrustedPackages()) {
			try {
				new CacheValueTypes().trustPackage(trusted);
			}
			catch (IllegalArgumentException ex) {
				throw new ClusterConfigurationException("cluster.cache.trusted-packages: " + ex.getMessage(),
						"Remove the package from cluster.cache.trusted-packages and name the cached classes in "
								+ "cluster.cache.allowed-types instead.");
			}
		}
		cache.getTimeToLiveByCache().forEach((name, ttl) -> {
			if (ttl == null || ttl.toMillis() < 1) {
				throw new ClusterConfigurationException(
						"cluster.cache.time-to-live-by-cache." + name + " must be at least 1ms, not " + ttl,
						"Set cluster.cache.time-to-live-by-cache." + name + " to a duration such as 10m, or remove "
								+ "it to use cluster.cache.time-to-live.");
			}
		});
	}

	private static void checkChat(ClusterProperties.Chat chat) {
		long size = chat.getMaxMemberDetailsSize().toBytes();
		if (size < 2 || size > 1024L * 1024) {
			throw new ClusterConfigurationException(
					"cluster.chat.max-member-details-size must be between 2B and 1MB, not "
							+ chat.getMaxMemberDetailsSize(),
					"Set cluster.chat.max-member-details-size to a size such as 1KB (the default): every "
							+ "room's status and roomView reads each member's details.");
		}
	}

	private static void checkConnections(ClusterConnectionsProperties connections) {
		if (connections.getPath() == null || !connections.getPath().startsWith("/")) {
			throw new ClusterConfigurationException(
					"cluster.connections.path '" + connections.getPath() + "' is not a path",
					"Set cluster.connections.path to a path that starts with '/' (default: /cohort/ws).");
		}
		long size = connections.getMaxMessageSize().toBytes();
		if (size < 1 || size > 512L * 1024 * 1024) {
			throw new ClusterConfigurationException(
					"cluster.connections.max-message-size must be between 1B and 512MB, not "
							+ connections.getMaxMessageSize(),
					"Set cluster.connections.max-message-size to a size such as 64KB (the default).");
		}
		if (connections.getThreads() < 1 || connections.getMaxQueuedRequests() < 1) {
			throw new ClusterConfigurationException(
					"cluster.connections.threads and cluster.connections.max-queued-requests must be at least 1, not "
							+ connections.getThreads() + " and " + connections.getMaxQueuedRequests(),
					"Set cluster.connections.threads to a number such as 8, and "
							+ "cluster.connections.max-queued-requests to a number such as 32 (the defaults).");
		}
		if (connections.getSendBufferLimit().toBytes() < 1 || connections.getSendTimeLimit().toMillis() < 1) {
			throw new ClusterConfigurationException(
					"cluster.connections.send-buffer-limit and cluster.connections.send-time-limit must be positive, not "
							+ connections.getSendBufferLimit() + " and " + connections.getSendTimeLimit(),
					"Set cluster.connections.send-buffer-limit to a size such as 512KB, and "
							+ "cluster.connections.send-time-limit to a duration such as 10s (the defaults).");
		}
		if (connections.getMessagesPerSecond() < 0 || connections.getMessageBurst() < 1) {
			throw new ClusterConfigurationException(
					"cluster.connections.messages-per-second must be at least 0 and cluster.connections.message-burst "
							+ "at least 1, not " + connections.getMessagesPerSecond() + " and "
							+ connections.getMessageBurst(),
					"Set cluster.connections.messages-per-second to a rate such as 100 (0 for no limit), and "
							+ "cluster.connections.message-burst to a number such as 200 (the defaults).");
		}
		long batch = connections.getMaxBatchSize().toBytes();
		if (batch < 0 || batch > 512L * 1024 * 1024) {
			throw new ClusterConfigurationException(
					"cluster.connections.max-batch-size must be between 0B and 512MB, not "
							+ connections.getMaxBatchSize(),
					"Set cluster.connections.max-batch-size to a size such as 16KB (the default; 0 to send every "
							+ "frame on its own).");
		}
		if (connections.getMaxConnections() < 0 || connections.getMaxRoomsPerConnection() < 0) {
			throw new ClusterConfigurationException(
					"cluster.connections.max-connections and cluster.connections.max-rooms-per-connection must be at "
							+ "least 0, not " + connections.getMaxConnections() + " and "
							+ connections.getMaxRoomsPerConnection(),
					"Set cluster.connections.max-connections to a number such as 10000, and "
							+ "cluster.connections.max-rooms-per-connection to a number such as 100 (the defaults; "
							+ "0 for no limit).");
		}
	}

	private static void checkTasks(ClusterTasksProperties tasks) {
		if (tasks.getQueues().isEmpty() || !tasks.getQueues()
			.stream()
			.allMatch((queue) -> queue != null && (queue.equals("*") || QUEUE.matcher(queue).matches()))) {
			throw new ClusterConfigurationException("cluster.tasks.queues " + tasks.getQueues() + " is not usable",
					"Set cluster.tasks.queues to queue names of letters, digits, '.', '_' or '-', in priority "
							+ "order, or '*' for every queue (the default).");
		}
		if (tasks.getMaxProcessors() < 1 || tasks.getMinProcessors() < 0
				|| tasks.getMinProcessors() > tasks.getMaxProcessors()) {
			throw new ClusterConfigurationException(
					"cluster.tasks.min-processors (" + tasks.getMinProcessors() + ") and cluster.tasks.max-processors ("
							+ tasks.getMaxProcessors() + ") are not usable",
					"Set cluster.tasks.max-processors to at least 1 and cluster.tasks.min-processors between 0 and "
							+ "it (defaults: 1 and 8).");
		}
		if (tasks.getLease().toMillis() < 100 || tasks.getSchedulerLease().toMillis() < 100) {
			throw new ClusterConfigurationException(
					"cluster.tasks.lease (" + tasks.getLease() + ") and cluster.tasks.scheduler-lease ("
							+ tasks.getSchedulerLease() + ") must be at least 100ms",
					"Set cluster.tasks.lease (default 30s) and cluster.tasks.scheduler-lease (default 6s) to "
							+ "durations of at least 100ms.");
		}
		if (tasks.getMaxStalls() < 0 || tasks.getMaxCatchUp() < 1 || tasks.getLockWait().toMillis() < 10
				|| tasks.getShutdownTimeout().isNegative()) {
			throw new ClusterConfigurationException(
					"cluster.tasks.max-stalls, max-catch-up, lock-wait or shutdown-timeout is out of range",
					"Set cluster.tasks.max-stalls to 0 or more, cluster.tasks.max-catch-up to 1 or more, "
							+ "cluster.tasks.lock-wait to at least 10ms (a shorter wait makes workers spin while "
							+ "a job lock is held), and cluster.tasks.shutdown-timeout to a duration that is not "
							+ "negative.");
		}
	}

	private static void checkTimings(ClusterProperties properties) {
		if (properties.getHeartbeatInterval().compareTo(MIN_HEARTBEAT_INTERVAL) < 0) {
			throw new ClusterConfigurationException(
					"cluster.heartbeat-interval must be at least " + MIN_HEARTBEAT_INTERVAL.toMillis() + "ms, not "
							+ properties.getHeartbeatInterval(),
					"Set cluster.heartbeat-interval to a duration such as 2s.");
		}
		if (properties.getNodeTimeout().compareTo(properties.getHeartbeatInterval().multipliedBy(2)) < 0) {
			throw new ClusterConfigurationException(
					"cluster.node-timeout (" + properties.getNodeTimeout()
							+ ") is shorter than twice cluster.heartbeat-interval (" + properties.getHeartbeatInterval()
							+ "): live nodes would be dropped",
					"Set cluster.node-timeout to at least twice cluster.heartbeat-interval (defaults: 10s and 2s).");
		}
		if (properties.getMessages().getMaxAge().isNegative() || properties.getMessages().getMaxAge().isZero()) {
			throw new ClusterConfigurationException(
					"cluster.messages.max-age must be positive, not " + properties.getMessages().getMaxAge(),
					"Set cluster.messages.max-age to a positive duration such as 30s.");
		}
		if (properties.getPubsub().getHandlerThreads() < 1 || properties.getPubsub().getQueueCapacity() < 1) {
			throw new ClusterConfigurationException(
					"cluster.pubsub.handler-threads and cluster.pubsub.queue-capacity must be at least 1",
					"Set cluster.pubsub.handler-threads (default 4) and cluster.pubsub.queue-capacity "
							+ "(default 10000) to positive numbers.");
		}
		if (properties.getRpcTimeout().isNegative() || properties.getRpcTimeout().isZero()) {
			throw new ClusterConfigurationException(
					"cluster.rpc-timeout must be positive, not " + properties.getRpcTimeout(),
					"Set cluster.rpc-timeout to a duration such as 5s.");
		}
		if (properties.getRpc().getThreads() < 1 || properties.getRpc().getQueueCapacity() < 1) {
			throw new ClusterConfigurationException(
					"cluster.rpc.threads and cluster.rpc.queue-capacity must be at " + "least 1",
					"Set cluster.rpc.threads (default 8) and cluster.rpc.queue-capacity (default 1000) "
							+ "to positive numbers.");
		}
		long maxSize = properties.getMessages().getMaxSize().toBytes();
		if (maxSize <= 0 || maxSize > Integer.MAX_VALUE) {
			throw new ClusterConfigurationException(
					"cluster.messages.max-size must be between 1B and 2GB, not "
							+ properties.getMessages().getMaxSize(),
					"Set cluster.messages.max-size to a size such as 1MB.");
		}
	}

	private static void checkNames(ClusterProperties properties) {
		String nodeId = properties.getNodeId();
		if (nodeId != null && !NAME.matcher(nodeId).matches()) {
			throw new ClusterConfigurationException("cluster.node-id '" + nodeId + "' is not usable",
					"Set cluster.node-id to letters, digits, '.', '_', ':' or '-' only, or remove it to let Cohort "
							+ "derive one.");
		}
		String channel = properties.getChannel();
		if (channel != null && !StringUtils.hasText(channel)) {
			throw new ClusterConfigurationException("cluster.channel is blank",
					"Set cluster.channel to a channel name, or remove it to use '<namespace>:cluster'.");
		}
	}

	private static void checkNamespace(ClusterProperties properties) {
		String namespace = properties.getNamespace();
		if (namespace == null || !NAME.matcher(namespace).matches()) {
			throw new ClusterConfigurationException("cluster.namespace '" + namespace + "' is not usable",
					"Set cluster.namespace to letters, digits, '.', '_', ':' or '-' only (default: cohort).");
		}
	}

}
