package dev.cohort.rpc;

import dev.cohort.cluster.ClusterException;

/**
 * No live node holds the connection a call is addressed to.
 */
public class UnknownConnectionException extends ClusterException {

	public UnknownConnectionException(String connectionId) {
		super("No live node holds connection '" + connectionId + "'");
	}

}
