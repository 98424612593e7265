package dev.cohort.rpc;

import java.util.Optional;

/**
 * Finds the node that holds a WebSocket connection, for
 * {@link ClusterRpc#callConnection}. The connections capability provides one; until then,
 * or without it, no connection is found.
 */
@FunctionalInterface
public interface ConnectionLocator {

	/** A locator that finds no connection. */
	ConnectionLocator NONE = (connectionId) -> Optional.empty();

	/**
	 * The node that holds a connection.
	 * @param connectionId the connection
	 * @return the node id, or empty if no live node holds it
	 */
	Optional<String> nodeOf(String connectionId);

}
