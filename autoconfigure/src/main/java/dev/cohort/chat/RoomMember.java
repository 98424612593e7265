package dev.cohort.chat;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A member of a room, as the application sees it: no attributes, which may be private.
 * WebSocket clients see only its user, when it joined and its details, unless
 * {@code cluster.connections.show-connection-ids} is on.
 *
 * @param connectionId the member's connection
 * @param nodeId the node that holds it
 * @param joinedAt when it joined
 * @param user the name of the principal its handshake authenticated, or {@code null} for
 * an anonymous client
 * @param details what its node's {@link RoomMemberDetails} let it show to others (read
 * only), empty for none
 */
public record RoomMember(String connectionId, String nodeId, Instant joinedAt, @Nullable String user,
		Map<String, @Nullable Object> details) {

	/**
	 * A member without details.
	 * @param connectionId the member's connection
	 * @param nodeId the node that holds it
	 * @param joinedAt when it joined
	 * @param user its user, or {@code null} for an anonymous client
	 */
	public RoomMember(String connectionId, String nodeId, Instant joinedAt, @Nullable String user) {
		this(connectionId, nodeId, joinedAt, user, Map.of());
	}

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
