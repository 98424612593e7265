package dev.cohort.cluster;

import org.springframework.util.Assert;

/**
 * Builds every Redis key and channel name Cohort uses from the configured namespace, so
 * that the data model lives in one place (see {@code docs/redis-data-model.md}). Keys
 * that a Lua script touches together share a hash tag, so that they land in one slot of a
 * Redis Cluster.
 * <p>
 * A few methods build prefixes rather than keys ({@link #taskJobLockPrefix(String)},
 * {@link #chatRoomPrefix()}, {@link #chatConnectionRoomsPrefix()}): scripts get them in
 * {@code KEYS} when a key's full name is known only once the script read it (a job's lock
 * key, a connection's rooms), and append the rest. A prefix carries the hash tag of the
 * keys it begins, so declaring it tells Redis Cluster the one slot the script works in.
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
	 * The pattern of every node's own channel, for ACLs and messages that name them.
	 * @return {@code <channel>:node:*}
	 */
	public String nodeChannelPattern() {
		return nodeChannel("*");
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
	 * The user's key of a cache value or list key, the inverse of
	 * {@link #cacheEntry(String)}, for keys found by a scan.
	 * @param entry a key built by {@link #cacheEntry(String)}
	 * @return the user's key
	 */
	public String cacheKeyOfEntry(String entry) {
		return entry.substring(cacheEntryPrefix().length(), entry.length() - "}".length());
	}

	/**
	 * The name of a cache lock, the inverse of {@link #cacheLock(String)}, for keys found
	 * by a scan.
	 * @param lock a key built by {@link #cacheLock(String)}
	 * @return the lock's name
	 */
	public String cacheLockName(String lock) {
		return lock.substring(cacheEntryPrefix().length(), lock.length() - "}:lock".length());
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
	 * One of the keys of a task queue, all in the queue's hash tag (one slot).
	 * @param queue the queue
	 * @param name the key's name in the queue: {@code pending}, {@code jobs},
	 * {@code delayed}, {@code active}, {@code leases}, {@code failed}, {@code failures},
	 * {@code fence}, {@code unique}, {@code stats}, {@code attempts}, {@code recurring}
	 * or {@code history}
	 * @return {@code {<namespace>:tasks:<queue>}:<name>}
	 */
	public String taskQueueKey(String queue, String name) {
		return taskQueue(queue) + ":" + name;
	}

	/**
	 * The lock a job holds while it waits or runs, if it was enqueued with a lock key: a
	 * string beside its queue's keys, in their slot.
	 * @param queue the queue
	 * @param lockKey the job's lock key
	 * @return {@code {<namespace>:tasks:<queue>}:lock:<lockKey>}
	 */
	public String taskJobLock(String queue, String lockKey) {
		return taskJobLockPrefix(queue) + lockKey;
	}

	/**
	 * The prefix of a queue's job locks. The task scripts take it as a key: a job's lock
	 * key is only known once the script read the job, so the script appends it; the
	 * prefix carries the queue's hash tag, so Redis Cluster routes it to the queue's
	 * slot.
	 * @param queue the queue
	 * @return {@code {<namespace>:tasks:<queue>}:lock:}
	 */
	public String taskJobLockPrefix(String queue) {
		return taskQueue(queue) + ":lock:";
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
	 * The recurring scheduler's leadership: a hash of the leader's token, node and
	 * fencing token, which lapses unless the leader extends it.
	 * @return {@code {<namespace>:tasks}:scheduler}
	 */
	public String taskScheduler() {
		return "{" + this.namespace + ":tasks}:scheduler";
	}

	/**
	 * The counter that numbers the takings of the recurring scheduler's leadership; it
	 * never expires.
	 * @return {@code {<namespace>:tasks}:scheduler:fence}
	 */
	public String taskSchedulerFence() {
		return taskScheduler() + ":fence";
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

	/**
	 * The hash of connection id to the id of the node that holds it.
	 * @return {@code {<namespace>:chat}:connections}
	 */
	public String chatConnections() {
		return chat("connections");
	}

	/**
	 * The set of the connection ids a node holds.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat}:node:<nodeId>}
	 */
	public String chatNode(String nodeId) {
		return chat("node:" + nodeId);
	}

	/**
	 * The hash of node id to the fingerprint of its entries in the directory.
	 * @return {@code {<namespace>:chat}:fingerprints}
	 */
	public String chatFingerprints() {
		return chat("fingerprints");
	}

	/**
	 * The directory's epoch, a random id that changes when the directory lost its data.
	 * @return {@code {<namespace>:chat}:epoch}
	 */
	public String chatEpoch() {
		return chat("epoch");
	}

	/**
	 * The set of the names of every room.
	 * @return {@code {<namespace>:chat}:rooms}
	 */
	public String chatRooms() {
		return chat("rooms");
	}

	/**
	 * The set of the names of the rooms created with presence off, whose joins and leaves
	 * only their own connection hears of.
	 * @return {@code {<namespace>:chat}:quiet-rooms}
	 */
	public String chatQuietRooms() {
		return chat("quiet-rooms");
	}

	/**
	 * The hash of a room's members, connection id to when it joined (ms).
	 * @param room the room
	 * @return {@code {<namespace>:chat}:room:<room>}
	 */
	public String chatRoom(String room) {
		return chatRoomPrefix() + room;
	}

	/**
	 * The prefix of every room's members hash. The directory scripts that visit the rooms
	 * of a connection take it as a key and append each room's name, known only once they
	 * read the connection's rooms; it carries the directory's hash tag, so Redis Cluster
	 * routes it to the directory's slot.
	 * @return {@code {<namespace>:chat}:room:}
	 */
	public String chatRoomPrefix() {
		return chat("room:");
	}

	/**
	 * The hash of each connection with a user to its user.
	 * @return {@code {<namespace>:chat}:users}
	 */
	public String chatUsers() {
		return chat("users");
	}

	/**
	 * The set of a user's connection ids.
	 * @param user the user
	 * @return {@code {<namespace>:chat}:user:<user>}
	 */
	public String chatUser(String user) {
		return chatUserPrefix() + user;
	}

	/**
	 * The prefix of every user's set of connections. The directory scripts that forget
	 * connections take it as a key and append each connection's user; it carries the
	 * directory's hash tag, so Redis Cluster routes it to the directory's slot.
	 * @return {@code {<namespace>:chat}:user:}
	 */
	public String chatUserPrefix() {
		return chat("user:");
	}

	/**
	 * The set of the rooms a connection is in.
	 * @param connectionId the connection id
	 * @return {@code {<namespace>:chat}:connection:<connectionId>}
	 */
	public String chatConnectionRooms(String connectionId) {
		return chatConnectionRoomsPrefix() + connectionId;
	}

	/**
	 * The prefix of every connection's set of rooms. The directory scripts that visit
	 * connections they pop or read take it as a key and append each connection id; it
	 * carries the directory's hash tag, so Redis Cluster routes it to the directory's
	 * slot.
	 * @return {@code {<namespace>:chat}:connection:}
	 */
	public String chatConnectionRoomsPrefix() {
		return chat("connection:");
	}

}
