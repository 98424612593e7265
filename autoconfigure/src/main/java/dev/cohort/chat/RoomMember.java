package dev.cohort.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cohort.connections.ConnectionStore;
import org.jspecify.annotations.Nullable;

/**
 * A member of a room, as it is shown to anyone: no attributes, which may be private.
 *
 * @param connectionId the member's connection
 * @param nodeId the node that holds it
 * @param joinedAt when it joined
 */
public record RoomMember(String connectionId, String nodeId, Instant joinedAt) {

	/**
	 * The members of a room as the directory lists them.
	 * @param room the room
	 * @param members the directory's members, or {@code null} if the room does not exist
	 * @return the members
	 * @throws ChatRoomException if the room does not exist
	 */
	public static List<RoomMember> of(String room, @Nullable Map<String, ConnectionStore.Member> members) {
		if (members == null) {
			throw new ChatRoomException("no-such-room", "There is no room '" + room + "'");
		}
		return members.entrySet()
			.stream()
			.map((entry) -> new RoomMember(entry.getKey(), entry.getValue().nodeId(),
					Instant.ofEpochMilli(entry.getValue().joinedAtMillis())))
			.toList();
	}

}
