package dev.cohort.connections.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.RoomMember;
import dev.cohort.connections.ConnectionStore;
import org.jspecify.annotations.Nullable;

/**
 * Turns the directory's members of a room into the {@link RoomMember}s that applications
 * and clients see.
 */
final class RoomMembers {

	private RoomMembers() {
	}

	/**
	 * The members of a room as the directory lists them.
	 * @param room the room
	 * @param members the directory's members, or {@code null} if the room does not exist
	 * @return the members
	 * @throws ChatRoomException if the room does not exist
	 */
	static List<RoomMember> of(String room, @Nullable Map<String, ConnectionStore.Member> members) {
		if (members == null) {
			throw new ChatRoomException("no-such-room", "There is no room '" + room + "'");
		}
		return members.entrySet()
			.stream()
			.map((entry) -> new RoomMember(entry.getKey(), entry.getValue().nodeId(),
					Instant.ofEpochMilli(entry.getValue().joinedAtMillis()), entry.getValue().user()))
			.toList();
	}

}
