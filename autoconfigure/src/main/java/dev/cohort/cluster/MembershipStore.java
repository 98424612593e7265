package dev.cohort.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the membership list lives: Redis for a cluster, memory for a solitary node.
 * Cohort's membership engine holds the logic; a store only keeps the data.
 */
public interface MembershipStore {

	/**
	 * Registers or refreshes a node so that it stays live for {@code timeout} on the
	 * store's clock, drops members whose deadline has passed, and returns the live
	 * members.
	 * @param node the node
	 * @param timeout how long the node stays live without another heartbeat
	 * @return the outcome and the live members
	 */
	Heartbeat heartbeat(NodeInfo node, Duration timeout);

	/**
	 * Removes a node at once, if it is still registered by the same instance.
	 * @param node the node
	 */
	void leave(NodeInfo node);

	/**
	 * Whether a node id is registered, live or not yet dropped.
	 * @param nodeId the node id
	 * @return {@code true} if it is registered
	 */
	boolean isRegistered(String nodeId);

	/**
	 * The deadline of every registered node, live or not yet dropped: when it stops being
	 * live unless it heartbeats again, which is its last heartbeat plus its node timeout.
	 * @return node id to deadline, in milliseconds since the epoch on the store's clock
	 */
	Map<String, Long> deadlines();

	/**
	 * Draws the next number from the sequence that numbers derived node ids.
	 * @return a number never returned before in this namespace
	 */
	long nextNodeNumber();

	/**
	 * The store's current time, in milliseconds since the epoch.
	 * @return the time
	 */
	long time();

	/**
	 * The outcome of a heartbeat.
	 *
	 * @param status whether the node was already live, newly joined or refused
	 * @param serverTimeMillis the store's clock when it handled the heartbeat
	 * @param members the live members, the node itself included unless refused
	 */
	record Heartbeat(Status status, long serverTimeMillis, List<NodeInfo> members) {

	}

	/**
	 * What a heartbeat found.
	 */
	enum Status {

		/** The node was live and has been refreshed. */
		REFRESHED,

		/** The node was not live and has been registered. */
		JOINED,

		/** Another live process holds the node id; nothing changed. */
		ID_TAKEN

	}

}
