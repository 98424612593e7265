package dev.cohort.chat;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Hooks into the life of chat rooms, each able to refuse (by throwing
 * {@link ChatRefusedException}) or change what happens. Beans of this type run in their
 * {@code @Order}: join, leave and say on the node that holds the connection (say once,
 * however many members), deliver on each recipient's node, once per recipient.
 */
public interface ChatMiddleware {

	/**
	 * A connection is about to join a room.
	 * @param connectionId the connection
	 * @param attributes its attributes
	 * @param room the room
	 * @throws ChatRefusedException to refuse
	 */
	default void join(String connectionId, Map<String, Object> attributes, String room) {
	}

	/**
	 * A connection is about to leave a room of its own accord.
	 * @param connectionId the connection
	 * @param attributes its attributes
	 * @param room the room
	 * @throws ChatRefusedException to refuse
	 */
	default void leave(String connectionId, Map<String, Object> attributes, String room) {
	}

	/**
	 * A connection says something in a room.
	 * @param connectionId the connection
	 * @param attributes its attributes
	 * @param room the room
	 * @param message what it says (JSON mapped to maps, lists and values), {@code null}
	 * if the client says JSON {@code null}
	 * @return what is said instead, or the message unchanged
	 * @throws ChatRefusedException to refuse
	 */
	default @Nullable Object say(String connectionId, Map<String, Object> attributes, String room,
			@Nullable Object message) {
		return message;
	}

	/**
	 * A message is about to reach one member of a room.
	 * @param recipientId the member's connection
	 * @param room the room
	 * @param from the sender's connection, or {@code null} for the server
	 * @param message the message
	 * @return what the member gets, or {@code null} to skip this member
	 */
	default @Nullable Object deliver(String recipientId, String room, @Nullable String from, Object message) {
		return message;
	}

}
