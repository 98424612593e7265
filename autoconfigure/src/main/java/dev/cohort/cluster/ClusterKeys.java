package dev.cohort.cluster;

import org.springframework.util.Assert;

/**
 * Builds every Redis key and channel name Cohort uses from the configured namespace, so
 * that the data model lives in one place (see {@code docs/redis-data-model.md}). Keys
 * that a Lua script touches together share a hash tag, so that they land in one slot of a
 * Redis Cluster.
 */
public final class ClusterKeys {

	private final String namespace;

	private final String channel;

	public ClusterKeys(String namespace, String channel) {
		Assert.hasText(namespace, "'namespace' must not be empty");
		Assert.hasText(channel, "'channel' must not be empty");
		this.namespace = namespace;
		this.channel = channel;
	}

	/**
	 * The default pub/sub channel of a namespace.
	 * @param namespace the namespace
	 * @return {@code <namespace>:cluster}
	 */
	public static String defaultChannel(String namespace) {
		return namespace + ":cluster";
	}

	public String namespace() {
		return this.namespace;
	}

	/**
	 * The pub/sub channel that carries the messages addressed to every node.
	 * @return the channel name
	 */
	public String channel() {
		return this.channel;
	}

	/**
	 * The pub/sub channel that carries the messages addressed to one node.
	 * @param nodeId the node id
	 * @return {@code <channel>:node:<nodeId>}
	 */
	public String nodeChannel(String nodeId) {
		return this.channel + ":node:" + nodeId;
	}

	/**
	 * Sorted set of live node ids, scored by the deadline (Redis server time, ms) by
	 * which each must heartbeat again.
	 * @return the key
	 */
	public String members() {
		return "{" + this.namespace + ":nodes}:members";
	}

	/**
	 * Hash of node id to the node's registration as JSON.
	 * @return the key
	 */
	public String memberInfo() {
		return "{" + this.namespace + ":nodes}:info";
	}

	/**
	 * Counter that numbers derived node ids.
	 * @return the key
	 */
	public String nodeSequence() {
		return this.namespace + ":node-sequence";
	}

	/**
	 * The value or list a cache key names. The user's key is the hash tag, so that its
	 * lock and fencing counter land in the same Redis Cluster slot and one script can use
	 * them together.
	 * @param key the user's key
	 * @return {@code <namespace>:cache:{<key>}}
	 */
	public String cacheEntry(String key) {
		return cacheEntryPrefix() + key + "}";
	}

	/**
	 * The prefix of every cache value and list key; the user's key follows, then a
	 * closing brace.
	 * @return {@code <namespace>:cache:{}
	 */
	public String cacheEntryPrefix() {
		return this.namespace + ":cache:{";
	}

	/**
	 * The lock of a cache key, a hash of its holder's token, node and fencing token.
	 * @param name the lock's name (a user's key)
	 * @return {@code <namespace>:cache:{<name>}:lock}
	 */
	public String cacheLock(String name) {
		return cacheEntry(name) + ":lock";
	}

	/**
	 * The counter that numbers the takings of a lock, which never expires.
	 * @param name the lock's name (a user's key)
	 * @return {@code <namespace>:cache:{<name>}:fence}
	 */
	public String cacheFence(String name) {
		return cacheEntry(name) + ":fence";
	}

	/**
	 * The hash tag of a task queue's keys, which its Lua scripts use together; the keys
	 * are this tag followed by {@code :pending}, {@code :jobs} and so on.
	 * @param queue the queue
	 * @return {@code {<namespace>:tasks:<queue>}}
	 */
	public String taskQueue(String queue) {
		return "{" + this.namespace + ":tasks:" + queue + "}";
	}

	/**
	 * The set of the names of every queue a job was enqueued to.
	 * @return {@code <namespace>:tasks:queues}
	 */
	public String taskQueues() {
		return this.namespace + ":tasks:queues";
	}

	/**
	 * The hash of the recurring tasks' marks: each task's last period, whichever queue it
	 * went to.
	 * @return {@code {<namespace>:tasks}:recurring}
	 */
	public String taskRecurring() {
		return "{" + this.namespace + ":tasks}:recurring";
	}

	/**
	 * The list that wakes the idle workers of a queue. Every queue's list shares one hash
	 * tag, so that a worker can block on the lists of all its queues at once, on a Redis
	 * Cluster too.
	 * @param queue the queue
	 * @return {@code {<namespace>:tasks}:wake:<queue>}
	 */
	public String taskWake(String queue) {
		return "{" + this.namespace + ":tasks}:wake:" + queue;
	}

	/**
	 * A key of the connection directory and chat rooms. They all share the hash tag
	 * {@code {<namespace>:chat}}, so that a node's departure is cleaned up in one script.
	 * @param name the key's name: {@code connections}, {@code node:<id>}, {@code rooms}
	 * or {@code room:<room>}
	 * @return {@code {<namespace>:chat}:<name>}
	 */
	public String chat(String name) {
		return "{" + this.namespace + ":chat}:" + name;
	}

}
