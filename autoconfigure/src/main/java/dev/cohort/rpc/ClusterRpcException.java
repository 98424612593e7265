package dev.cohort.rpc;

import dev.cohort.cluster.ClusterException;

/**
 * A call that did not return a result.
 */
public class ClusterRpcException extends ClusterException {

	private final String method;

	private final String nodeId;

	public ClusterRpcException(String message, String method, String nodeId) {
		super(message);
		this.method = method;
		this.nodeId = nodeId;
	}

	/**
	 * The name of the method called.
	 * @return the method
	 */
	public String getMethod() {
		return this.method;
	}

	/**
	 * The node called.
	 * @return the node id
	 */
	public String getNodeId() {
		return this.nodeId;
	}

}
