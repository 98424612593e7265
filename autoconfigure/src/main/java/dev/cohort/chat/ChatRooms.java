package dev.cohort.chat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chat rooms whose members are WebSocket connections on any node. Rooms are created
 * explicitly; a broadcast reaches every member on every node exactly once (each node
 * delivers to the members it holds). When a node dies, its connections leave their rooms
 * and the other members are told.
 */
public interface ChatRooms {

	/**
	 * Creates a room with the {@link RoomOptions#DEFAULTS default options} (presence on).
	 * @param room the room
	 * @return whether it was created (false if it existed)
	 */
	default boolean add(String room) {
		return add(room, RoomOptions.DEFAULTS);
	}

	/**
	 * Creates a room with options of its own; a room that exists keeps its options.
	 * @param room the room
	 * @param options the room's options
	 * @return whether it was created (false if it existed)
	 */
	boolean add(String room, RoomOptions options);

	/**
	 * Deletes a room; its members leave it.
	 * @param room the room
	 * @return whether it existed
	 */
	boolean destroy(String room);

	/**
	 * Whether a room exists.
	 * @param room the room
	 * @return whether it exists
	 */
	boolean exists(String room);

	/**
	 * Every room.
	 * @return the rooms, by name
	 */
	List<String> list();

	/**
	 * Every room and how many members it has across every node.
	 * @return room to member count, by room
	 */
	default Map<String, Long> memberCounts() {
		Map<String, Long> counts = new TreeMap<>();
		for (String room : list()) {
			try {
				counts.put(room, (long) status(room).size());
			}
			catch (ChatRoomException ex) {
				// Destroyed since it was listed.
			}
		}
		return counts;
	}

	/**
	 * The members of a room across every node.
	 * @param room the room
	 * @return the members
	 * @throws ChatRoomException if the room does not exist
	 */
	List<RoomMember> status(String room);

	/**
	 * Adds a connection, on whatever node, to a room; join middleware runs on its node.
	 * @param connectionId the connection
	 * @param room the room
	 * @throws dev.cohort.rpc.UnknownConnectionException if no node holds the connection
	 * @throws ChatRoomException if the room does not exist
	 * @throws ChatRefusedException if a middleware refused
	 */
	void addMember(String connectionId, String room);

	/**
	 * Takes a connection, on whatever node, out of a room.
	 * @param connectionId the connection
	 * @param room the room
	 * @throws dev.cohort.rpc.UnknownConnectionException if no node holds the connection
	 * @throws ChatRefusedException if a middleware refused
	 */
	void removeMember(String connectionId, String room);

	/**
	 * Sends a message from the server to every member of a room, on every node.
	 * @param room the room
	 * @param message the message, which must map to JSON
	 * @throws ChatRoomException if the room does not exist
	 */
	void broadcast(String room, Object message);

}
