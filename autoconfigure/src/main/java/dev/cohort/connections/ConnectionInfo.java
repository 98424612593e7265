package dev.cohort.connections;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket connection as its holding node describes it.
 *
 * @param connectionId the connection's id, unique in the cluster
 * @param nodeId the node that holds it
 * @param remoteAddress the client's address as the node sees it
 * @param connectedAt when it connected
 * @param attributes what the application attached to it (for example {@code auth})
 * @param rooms the rooms it is in
 * @param user the name of the principal the handshake authenticated (Spring Security, or
 * any {@code HandshakeHandler}), or {@code null} if the client is anonymous
 */
public record ConnectionInfo(String connectionId, String nodeId, String remoteAddress, Instant connectedAt,
		Map<String, Object> attributes, List<String> rooms, @Nullable String user) {

	/**
	 * The attribute under which chat middleware finds the connection's {@link #user()},
	 * if it has one.
	 */
	public static final String USER_ATTRIBUTE = "cohort.user";

	/**
	 * A connection of an anonymous client.
	 * @param connectionId the connection's id
	 * @param nodeId the node that holds it
	 * @param remoteAddress the client's address
	 * @param connectedAt when it connected
	 * @param attributes its attributes
	 * @param rooms its rooms
	 */
	public ConnectionInfo(String connectionId, String nodeId, String remoteAddress, Instant connectedAt,
			Map<String, Object> attributes, List<String> rooms) {
		this(connectionId, nodeId, remoteAddress, connectedAt, attributes, rooms, null);
	}

}
