package dev.cohort.connections;

import java.util.List;

import dev.cohort.rpc.UnknownConnectionException;

/**
 * The WebSocket connections of the whole cluster. Each connection lives on the node the
 * client connected to; Redis keeps only a directory of which node holds which connection,
 * so any node can look a connection up and act on it, and an unknown id fails at once
 * instead of after asking every node.
 */
public interface ClusterConnections {

	/**
	 * Describes a connection, as the node that holds it sees it.
	 * @param connectionId the connection
	 * @return its details
	 * @throws UnknownConnectionException if no live node holds it
	 */
	ConnectionInfo apply(String connectionId);

	/**
	 * Runs an operation on a connection, on the node that holds it.
	 * @param connectionId the connection
	 * @param operation what to do
	 * @return its details afterwards
	 * @throws UnknownConnectionException if no live node holds it
	 * @throws dev.cohort.chat.ChatRefusedException if a chat middleware refused a join or
	 * leave
	 * @throws SignInRefusedException if a {@link ConnectionOperation#signIn sign-in} was
	 * refused
	 */
	ConnectionInfo apply(String connectionId, ConnectionOperation operation);

	/**
	 * Every connection of every live node that answers within the RPC timeout.
	 * @return the connections
	 */
	List<ConnectionInfo> list();

	/**
	 * The connections of a user (the name of the principal their handshakes
	 * authenticated), on any node: found in the directory, then each described by the
	 * node that holds it. A connection that closes meanwhile is left out.
	 * @param user the user
	 * @return its connections, empty if it has none
	 */
	List<ConnectionInfo> connectionsOf(String user);

	/**
	 * Runs an operation on every connection of a user, each on the node that holds it
	 * (for example, send a message to each of the user's tabs, or disconnect them all). A
	 * connection that closes meanwhile is left out.
	 * @param user the user
	 * @param operation what to do
	 * @return the details of each connection afterwards
	 * @throws dev.cohort.chat.ChatRefusedException if a chat middleware refused a join or
	 * leave (the connections before it have run the operation)
	 */
	List<ConnectionInfo> applyToUser(String user, ConnectionOperation operation);

	/**
	 * The connections one node holds, asked of that node only.
	 * @param nodeId the node
	 * @return its connections, empty if it is not a live member
	 */
	default List<ConnectionInfo> listOn(String nodeId) {
		return list().stream().filter((info) -> info.nodeId().equals(nodeId)).toList();
	}

	/**
	 * How many connections a node holds, as the directory counts them, without asking the
	 * node.
	 * @param nodeId the node
	 * @return the count
	 */
	default long count(String nodeId) {
		return listOn(nodeId).size();
	}

}
