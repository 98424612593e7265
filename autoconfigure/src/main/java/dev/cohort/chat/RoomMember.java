package dev.cohort.chat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A member of a room, as the application sees it: no attributes, which may be private.
 * WebSocket clients see only its user and when it joined, unless
 * {@code cluster.connections.show-connection-ids} is on.
 *
 * @param connectionId the member's connection
 * @param nodeId the node that holds it
 * @param joinedAt when it joined
 * @param user the name of the principal its handshake authenticated, or {@code null} for
 * an anonymous client
 */
public record RoomMember(String connectionId, String nodeId, Instant joinedAt, @Nullable String user) {

	/**
	 * A member of an anonymous client.
	 * @param connectionId the member's connection
	 * @param nodeId the node that holds it
	 * @param joinedAt when it joined
	 */
	public RoomMember(String connectionId, String nodeId, Instant joinedAt) {
		this(connectionId, nodeId, joinedAt, null);
	}

}
