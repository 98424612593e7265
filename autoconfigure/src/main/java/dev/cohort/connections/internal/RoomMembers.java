package dev.cohort.connections.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.RoomMember;
import dev.cohort.connections.ConnectionStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

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
					Instant.ofEpochMilli(entry.getValue().joinedAtMillis()), entry.getValue().user(),
					details(entry.getValue().details())))
			.toList();
	}

	/**
	 * A member's details as read-only plain Java, read with Cohort's own mapper (the
	 * details came from another node): empty for none, or for what is not a JSON object.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> details(@Nullable String json) {
		if (json == null || json.isEmpty()) {
			return Map.of();
		}
		try {
			Object details = ClientJson.readOnly(ClientJson.MAPPER.readTree(json));
			return (details instanceof Map<?, ?> map) ? (Map<String, @Nullable Object>) map : Map.of();
		}
		catch (JacksonException ex) {
			return Map.of();
		}
	}

}
