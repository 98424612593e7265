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
