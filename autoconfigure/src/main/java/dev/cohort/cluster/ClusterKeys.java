package dev.cohort.cluster;

import org.springframework.util.Assert;

/**
 * Builds every Redis key and channel name Cohort uses from the configured namespace, so
 * that the data model lives in one place (see {@code docs/redis-data-model.md}). Keys
 * that a Lua script touches together share a hash tag, so that they land in one slot of a
 * Redis Cluster.
 * <p>
 * A few methods build prefixes rather than keys ({@link #taskJobLockPrefix(String)},
 * {@link #chatNodeRoomsPrefix(String)}): scripts get them in {@code KEYS} when a key's
 * full name is known only once the script read it (a job's lock key, a connection's
 * rooms), and append the rest. A prefix carries the hash tag of the keys it begins, so
 * declaring it tells Redis Cluster the one slot the script works in.
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
	 * The set of the recurring tasks paused: the scheduler enqueues none of their runs.
	 * @return {@code {<namespace>:tasks}:recurring:paused}
	 */
	public String taskRecurringPaused() {
		return taskRecurring() + ":paused";
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
	 * How many hashes the index of connection id to node is split into, each under a hash
	 * tag of its own ({@link #chatHolders(String)}): enough to spread it over the masters
	 * of a Redis Cluster, few enough that forgetting a batch of connections touches only
	 * a handful of them. Changing it moves every connection's entry: it is part of the
	 * data model.
	 */
	public static final int CHAT_HOLDER_BUCKETS = 16;

	/**
	 * A key of the directory's global hash tag {@code {<namespace>:chat:directory}}: the
	 * epoch and the list of rooms, the only chat keys every node shares. Every chat key's
	 * tag begins with {@code <namespace>:chat:}; the keys {@code {<namespace>:chat}:*} of
	 * versions that kept the whole directory under one tag are not read. @param name the
	 * key's name: {@code epoch} or {@code rooms}
	 * @return {@code {<namespace>:chat:directory}:<name>}
	 */
	public String chat(String name) {
		return "{" + this.namespace + ":chat:directory}:" + name;
	}

	/**
	 * The directory's epoch: a random id set by the first node that checks it.
	 * @return {@code {<namespace>:chat:directory}:epoch}
	 */
	public String chatEpoch() {
		return chat("epoch");
	}

	/**
	 * The set of every room's name: the list of rooms. Whether a room exists is its
	 * {@link #chatRoomState(String) state}; this set lists it for {@code ChatRooms.list}.
	 * @return {@code {<namespace>:chat:directory}:rooms}
	 */
	public String chatRooms() {
		return chat("rooms");
	}

	/**
	 * The hash of a room's settings ({@code presence}); the room exists while it does.
	 * Every key of a room shares the hash tag {@code {<namespace>:chat:room:<room>}}.
	 * @param room the room
	 * @return {@code {<namespace>:chat:room:<room>}:state}
	 */
	public String chatRoomState(String room) {
		return chatRoomTag(room) + ":state";
	}

	/**
	 * The hash of a room's members: connection id to {@code <joined at ms>:<node id>}.
	 * @param room the room
	 * @return {@code {<namespace>:chat:room:<room>}:members}
	 */
	public String chatRoomMembers(String room) {
		return chatRoomTag(room) + ":members";
	}

	/**
	 * The hash of the details of a room's members that have some: connection id to a JSON
	 * object, written and removed with the member.
	 * @param room the room
	 * @return {@code {<namespace>:chat:room:<room>}:details}
	 */
	public String chatRoomDetails(String room) {
		return chatRoomTag(room) + ":details";
	}

	private String chatRoomTag(String room) {
		return "{" + this.namespace + ":chat:room:" + room + "}";
	}

	/**
	 * The set of the connection ids a node holds. Every key of a node shares the hash tag
	 * {@code {<namespace>:chat:node:<nodeId>}}.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:connections}
	 */
	public String chatNodeConnections(String nodeId) {
		return chatNodeTag(nodeId) + ":connections";
	}

	/**
	 * The set of a node's connection ids being forgotten: taken out of
	 * {@link #chatNodeConnections(String)} until their rooms are cleaned.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:leaving}
	 */
	public String chatNodeLeaving(String nodeId) {
		return chatNodeTag(nodeId) + ":leaving";
	}

	/**
	 * The hash of a node's connection ids to their users, for connections with one.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:users}
	 */
	public String chatNodeUsers(String nodeId) {
		return chatNodeTag(nodeId) + ":users";
	}

	/**
	 * The fingerprint of a node's entries.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:fingerprint}
	 */
	public String chatNodeFingerprint(String nodeId) {
		return chatNodeTag(nodeId) + ":fingerprint";
	}

	/**
	 * The set of the rooms a connection of a node is in.
	 * @param nodeId the node id
	 * @param connectionId the connection id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:rooms:<connectionId>}
	 */
	public String chatNodeRooms(String nodeId, String connectionId) {
		return chatNodeRoomsPrefix(nodeId) + connectionId;
	}

	/**
	 * The prefix of the sets of the rooms of a node's connections, which scripts extend
	 * with each connection id they read.
	 * @param nodeId the node id
	 * @return {@code {<namespace>:chat:node:<nodeId>}:rooms:}
	 */
	public String chatNodeRoomsPrefix(String nodeId) {
		return chatNodeTag(nodeId) + ":rooms:";
	}

	private String chatNodeTag(String nodeId) {
		return "{" + this.namespace + ":chat:node:" + nodeId + "}";
	}

	/**
	 * The hash, one of {@link #CHAT_HOLDER_BUCKETS}, of connection id to the id of the
	 * node that holds it, that lists a connection: the bucket is the connection id's
	 * {@link String#hashCode()}, which Java defines, modulo the number of buckets.
	 * @param connectionId the connection id
	 * @return {@code {<namespace>:chat:holders:<bucket>}}
	 */
	public String chatHolders(String connectionId) {
		return chatHolderBucket(Math.floorMod(connectionId.hashCode(), CHAT_HOLDER_BUCKETS));
	}

	/**
	 * One of the {@link #CHAT_HOLDER_BUCKETS} hashes of connection id to node id.
	 * @param bucket the bucket, from 0
	 * @return {@code {<namespace>:chat:holders:<bucket>}}
	 */
	public String chatHolderBucket(int bucket) {
		Assert.isTrue(bucket >= 0 && bucket < CHAT_HOLDER_BUCKETS, "No such bucket");
		return "{" + this.namespace + ":chat:holders:" + bucket + "}";
	}

	/**
	 * The set of a user's connection ids, on any node.
	 * @param user the user
	 * @return {@code {<namespace>:chat:user:<user>}}
	 */
	public String chatUser(String user) {
		return "{" + this.namespace + ":chat:user:" + user + "}";
	}

}
