package dev.cohort.cluster;

/**
 * Thrown when a message or call is addressed to a node that is not a live member.
 */
public class UnknownNodeException extends ClusterException {

	private final String nodeId;

	public UnknownNodeException(String nodeId) {
		super("No live node has id '" + nodeId + "'");
		this.nodeId = nodeId;
	}

	/**
	 * The id that no live node has.
	 * @return the node id
	 */
	public String getNodeId() {
		return this.nodeId;
	}

}
