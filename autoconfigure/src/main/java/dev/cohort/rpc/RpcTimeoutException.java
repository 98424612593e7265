package dev.cohort.rpc;

import java.time.Duration;

/**
 * No answer came within the timeout.
 */
public class RpcTimeoutException extends ClusterRpcException {

	public RpcTimeoutException(String method, String nodeId, Duration timeout) {
		super("Node '" + nodeId + "' did not answer the call of '" + method + "' within " + timeout, method, nodeId);
	}

}
