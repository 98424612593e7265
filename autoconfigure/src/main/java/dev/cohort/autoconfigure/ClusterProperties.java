package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cohort.cluster.NodeRole;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a Cohort node, under {@code cluster.*}.
 */
@ConfigurationProperties("cluster")
public class ClusterProperties {

	/**
	 * Whether to make this application a Cohort node.
	 */
	private boolean enabled = true;

	/**
	 * How nodes reach each other: 'redis' to form a cluster on Redis, or 'local' for a
	 * solitary node inside this JVM that needs no Redis.
	 */
	private Transport transport = Transport.REDIS;

	/**
	 * What this node does: 'server' serves clients, 'worker' runs tasks and the
	 * scheduler, 'all' does both.
	 */
	private NodeRole role = NodeRole.ALL;

	/**
	 * Id of this node, unique across the cluster. When not set, derived as
	 * '<spring.application.name>-<role>-<n>' with 'n' drawn from a counter in Redis.
	 */
	private @Nullable String nodeId;

	/**
	 * Prefix of every Redis key Cohort writes. Nodes with the same namespace on the same
	 * Redis form one cluster.
	 */
	private String namespace = "cohort";

	/**
	 * Redis pub/sub channel that carries the messages for every node; a message for one
	 * node travels on '<channel>:node:<node id>'. Defaults to '<namespace>:cluster'.
	 */
	private @Nullable String channel;

	/**
	 * Shared secret, at least 32 characters, that signs every message between nodes
	 * (HMAC-SHA256); it is never sent. Required with the redis transport; the local
	 * transport makes up a random one when it is not set.
	 */
	private @Nullable String serverToken;

	/**
	 * Former server tokens still accepted when verifying messages (never used to sign),
	 * so that a new token can be rolled out one node at a time.
	 */
	private List<String> previousServerTokens = new ArrayList<>();

	/**
	 * How often this node renews its membership.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(2);

	/**
	 * How long a node stays a member without heartbeats before the others drop it; at
	 * least twice the heartbeat interval.
	 */
	private Duration nodeTimeout = Duration.ofSeconds(10);

	/**
	 * How long an RPC call waits for answers before it fails with a timeout (or, for a
	 * broadcast, completes with what has come).
	 */
	private Duration rpcTimeout = Duration.ofSeconds(5);

	private final Rpc rpc = new Rpc();

	private final Messages messages = new Messages();

	private final PubSub pubsub = new PubSub();

	@NestedConfigurationProperty
	private final ClusterCacheProperties cache = new ClusterCacheProperties();

	@NestedConfigurationProperty
	private final ClusterTasksProperties tasks = new ClusterTasksProperties();

	@NestedConfigurationProperty
	private final ClusterConnectionsProperties connections = new ClusterConnectionsProperties();

	private final Dashboard dashboard = new Dashboard();

	private final Chat chat = new Chat();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = transport;
	}

	public NodeRole getRole() {
		return this.role;
	}

	public void setRole(NodeRole role) {
		this.role = role;
	}

	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(@Nullable String nodeId) {
		this.nodeId = nodeId;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public @Nullable String getChannel() {
		return this.channel;
	}

	public void setChannel(@Nullable String channel) {
		this.channel = channel;
	}

	public @Nullable String getServerToken() {
		return this.serverToken;
	}

	public void setServerToken(@Nullable String serverToken) {
		this.serverToken = serverToken;
	}

	public List<String> getPreviousServerTokens() {
		return this.previousServerTokens;
	}

	public void setPreviousServerTokens(List<String> previousServerTokens) {
		this.previousServerTokens = previousServerTokens;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getNodeTimeout() {
		return this.nodeTimeout;
	}

	public void setNodeTimeout(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
	}

	public Duration getRpcTimeout() {
		return this.rpcTimeout;
	}

	public void setRpcTimeout(Duration rpcTimeout) {
		this.rpcTimeout = rpcTimeout;
	}

	public Rpc getRpc() {
		return this.rpc;
	}

	public Messages getMessages() {
		return this.messages;
	}

	public PubSub getPubsub() {
		return this.pubsub;
	}

	public ClusterCacheProperties getCache() {
		return this.cache;
	}

	public ClusterTasksProperties getTasks() {
		return this.tasks;
	}

	public ClusterConnectionsProperties getConnections() {
		return this.connections;
	}

	public Chat getChat() {
		return this.chat;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	private final Health health = new Health();

	private final Metrics metrics = new Metrics();

	private final Redis redis = new Redis();

	public Redis getRedis() {
		return this.redis;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * How nodes reach each other.
	 */
	public enum Transport {

		/**
		 * Redis pub/sub and keys: a cluster of any number of nodes.
		 */
		REDIS,

		/**
		 * Memory: a solitary node in this JVM, with no Redis.
		 */
		LOCAL

	}

	/**
	 * Serving RPC calls.
	 */
	public static class Rpc {

		/**
		 * Threads that run the RPC methods this node exposes.
		 */
		private int threads = 8;

		/**
		 * Calls that may wait for an RPC thread; beyond that, callers are answered 'busy'
		 * at once.
		 */
		private int queueCapacity = 1_000;

		/**
		 * Whether errors sent back to callers carry the stack trace of the exception the
		 * method threw. Off by default: stack traces reveal code to every caller.
		 */
		private boolean sendStackTraces = false;

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public boolean isSendStackTraces() {
			return this.sendStackTraces;
		}

		public void setSendStackTraces(boolean sendStackTraces) {
			this.sendStackTraces = sendStackTraces;
		}

	}

	/**
	 * Messages between nodes: their checks, and where they travel.
	 */
	public static class Messages {

		/**
		 * How far a message's timestamp may be from now, on the cluster's clock, before
		 * it is refused as stale. Bounds how long nonces are remembered against replays.
		 */
		private Duration maxAge = Duration.ofSeconds(30);

		/**
		 * Largest message accepted; larger ones are refused before they are parsed.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		/**
		 * A Redis of the message bus's own: pub/sub, RPC, membership (with the cluster
		 * clock) and the connection directory. When not set, they use the application's
		 * Redis (spring.data.redis.*).
		 */
		@NestedConfigurationProperty
		private @Nullable ClusterRedisProperties redis;

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable ClusterRedisProperties getRedis() {
			return this.redis;
		}

		public void setRedis(@Nullable ClusterRedisProperties redis) {
			this.redis = redis;
		}

	}

	/**
	 * Pub/sub between nodes.
	 */
	public static class PubSub {

		/**
		 * Whether this node's handlers also receive the broadcasts this node publishes.
		 */
		private boolean receiveOwnBroadcasts = false;

		/**
		 * Threads that run the handlers of application messages (pub/sub subscriptions).
		 */
		private int handlerThreads = 4;

		/**
		 * Messages that may wait for a handler thread; when the queue is full, new
		 * messages are dropped and counted.
		 */
		private int queueCapacity = 10_000;

		public boolean isReceiveOwnBroadcasts() {
			return this.receiveOwnBroadcasts;
		}

		public void setReceiveOwnBroadcasts(boolean receiveOwnBroadcasts) {
			this.receiveOwnBroadcasts = receiveOwnBroadcasts;
		}

		public int getHandlerThreads() {
			return this.handlerThreads;
		}

		public void setHandlerThreads(int handlerThreads) {
			this.handlerThreads = handlerThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Chat rooms.
	 */
	public static class Chat {

		/**
		 * Rooms created when a node starts, if they do not exist yet (ActionHero's
		 * startingChatRooms), with the default options. Every node creates them: creating
		 * a room that exists changes nothing.
		 */
		private List<String> startingRooms = new ArrayList<>();

		/**
		 * Largest member details (what a RoomMemberDetails bean lets a member show to
		 * others), as JSON; a join whose details are larger is refused.
		 */
		private DataSize maxMemberDetailsSize = DataSize.ofKilobytes(1);

		public List<String> getStartingRooms() {
			return this.startingRooms;
		}

		public void setStartingRooms(List<String> startingRooms) {
			this.startingRooms = startingRooms;
		}

		public DataSize getMaxMemberDetailsSize() {
			return this.maxMemberDetailsSize;
		}

		public void setMaxMemberDetailsSize(DataSize maxMemberDetailsSize) {
			this.maxMemberDetailsSize = maxMemberDetailsSize;
		}

	}

	/**
	 * The dashboard: the whole cluster in a web page, on servlet web applications.
	 */
	public static class Dashboard {

		/**
		 * Whether to serve the dashboard and its JSON API.
		 */
		private boolean enabled = false;

		/**
		 * Path of the dashboard's page; its JSON API is under '<path>/api'.
		 */
		private String path = "/cohort";

		/**
		 * Role a user needs to see the dashboard and use it, when Spring Security is on
		 * the classpath (checked as the authority 'ROLE_<role>').
		 */
		private String role = "COHORT_ADMIN";

		/**
		 * Whether to serve the dashboard to anyone when Spring Security is not on the
		 * classpath. Without it, the dashboard refuses to start there.
		 */
		private boolean allowAnonymous = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

		public boolean isAllowAnonymous() {
			return this.allowAnonymous;
		}

		public void setAllowAnonymous(boolean allowAnonymous) {
			this.allowAnonymous = allowAnonymous;
		}

	}

	/**
	 * The {@code cluster} health contributor.
	 */
	public static class Health {

		/**
		 * Longest a health request waits for Redis to answer before the node reports
		 * DOWN. Keep it below the probe's own timeout (Kubernetes: timeoutSeconds, 1 s by
		 * default), so that the probe gets an answer.
		 */
		private Duration timeout = Duration.ofMillis(800);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Cohort's gauges.
	 */
	public static class Metrics {

		/**
		 * How often the gauges of the cluster's state (queues, rooms) read it from Redis,
		 * in one read for all of them; scrapes in between report the last read.
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * How Cohort writes to Redis.
	 */
	public static class Redis {

		/**
		 * How many replicas must acknowledge an enqueue (delayed and recurring runs
		 * included), the end of a job, and the taking or renewal of a cache lock before
		 * the call returns (Redis WAIT on the connection of the write), so that it
		 * survives a failover; 0 waits for none. Only on one Redis, alone or under
		 * Sentinel, with Lettuce: start-up fails on a Redis Cluster. Ignored by the local
		 * transport.
		 */
		private int waitReplicas = 0;

		/**
		 * Longest wait for the replicas of 'cluster.redis.wait-replicas' to acknowledge a
		 * write. An enqueue or a lock that misses them fails with a
		 * NotReplicatedException (the lock is released); the end or the renewal of a lock
		 * is logged. Either way the write is on the master.
		 */
		private Duration waitTimeout = Duration.ofSeconds(1);

		public int getWaitReplicas() {
			return this.waitReplicas;
		}

		public void setWaitReplicas(int waitReplicas) {
			this.waitReplicas = waitReplicas;
		}

		public Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

	}

}
