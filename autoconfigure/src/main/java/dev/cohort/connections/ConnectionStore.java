package dev.cohort.connections;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The directory of connections and room members: which node holds each connection, which
 * rooms exist and who is in them. Only the holding node keeps the connection itself.
 * Every method is atomic on its own.
 */
public interface ConnectionStore {

	/**
	 * Records that a node holds a connection.
	 * @param connectionId the connection
	 * @param nodeId the node
	 */
	void register(String connectionId, String nodeId);

	/**
	 * Forgets a connection and takes it out of the given rooms.
	 * @param connectionId the connection
	 * @param nodeId the node that held it
	 * @param rooms the rooms it was in
	 */
	void unregister(String connectionId, String nodeId, List<String> rooms);

	/**
	 * The node that holds a connection.
	 * @param connectionId the connection
	 * @return the node id, or empty
	 */
	Optional<String> nodeOf(String connectionId);

	/**
	 * Forgets every connection of a node that left, and takes them out of their rooms.
	 * Only the first caller for a node gets the memberships back.
	 * @param nodeId the node
	 * @return the memberships removed, room to connection ids
	 */
	Map<String, List<String>> purgeNode(String nodeId);

	/**
	 * Creates a room.
	 * @param room the room
	 * @return whether it was created (false if it existed)
	 */
	boolean addRoom(String room);

	/**
	 * Deletes a room and its memberships.
	 * @param room the room
	 * @return the connections that were in it, or empty if it did not exist
	 */
	List<String> destroyRoom(String room);

	/**
	 * Whether a room exists.
	 * @param room the room
	 * @return whether it exists
	 */
	boolean roomExists(String room);

	/**
	 * Every room.
	 * @return the rooms
	 */
	List<String> rooms();

	/**
	 * Adds a connection to a room that exists.
	 * @param room the room
	 * @param connectionId the connection
	 * @param joinedAtMillis when it joins
	 * @return 1 if added, 0 if it was in already, -1 if the room does not exist
	 */
	int join(String room, String connectionId, long joinedAtMillis);

	/**
	 * Takes a connection out of a room.
	 * @param room the room
	 * @param connectionId the connection
	 * @return whether it was in
	 */
	boolean leave(String room, String connectionId);

	/**
	 * The members of a room.
	 * @param room the room
	 * @return each member's connection id to its node and when it joined, or {@code null}
	 * if the room does not exist
	 */
	@Nullable Map<String, Member> members(String room);

	/**
	 * A member of a room, as the directory knows it.
	 *
	 * @param nodeId the node that holds the connection
	 * @param joinedAtMillis when it joined
	 */
	record Member(String nodeId, long joinedAtMillis) {
	}

}
