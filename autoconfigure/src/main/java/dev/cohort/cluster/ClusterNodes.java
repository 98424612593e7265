package dev.cohort.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live members of the cluster, as this node sees them. Membership changes are also
 * published as {@link NodeJoinedEvent} and {@link NodeLeftEvent} application events.
 */
public interface ClusterNodes {

	/**
	 * This node.
	 * @return this node's registration
	 */
	NodeInfo self();

	/**
	 * The live members, this node included, ordered by id.
	 * @return a snapshot of the live members
	 */
	List<NodeInfo> members();

	/**
	 * When each registered node's last heartbeat reached the store, read from the store
	 * now: its deadline there less this node's {@code cluster.node-timeout} (so exact
	 * when every node has the same timeout, as they should).
	 * @return node id to its last heartbeat; empty if the store cannot tell
	 */
	default Map<String, Instant> lastHeartbeats() {
		return Map.of();
	}

	/**
	 * Reads the member list from the store now instead of waiting for the next heartbeat,
	 * for a caller that must know whether a node has just joined. Waits at most a moment;
	 * the view stays as it was if the store does not answer.
	 */
	void refresh();

	/**
	 * Whether a message or call may be addressed to a node: this node always may, and a
	 * node not seen yet may have just joined, so the member list is read again before
	 * saying no.
	 * @param nodeId the node id
	 * @return {@code true} if the node is this one or a live member
	 */
	default boolean isReachable(String nodeId) {
		if (nodeId.equals(self().id()) || isMember(nodeId)) {
			return true;
		}
		refresh();
		return isMember(nodeId);
	}

	/**
	 * One live member.
	 * @param nodeId the node id
	 * @return the member, or empty when no live node has that id
	 */
	default Optional<NodeInfo> member(String nodeId) {
		return members().stream().filter((node) -> node.id().equals(nodeId)).findFirst();
	}

	/**
	 * Whether a node is a live member.
	 * @param nodeId the node id
	 * @return {@code true} if the node is live
	 */
	default boolean isMember(String nodeId) {
		return member(nodeId).isPresent();
	}

}
