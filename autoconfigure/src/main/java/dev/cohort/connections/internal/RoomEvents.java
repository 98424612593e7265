package dev.cohort.connections.internal;

import java.util.List;

/**
 * Sends room events to every member on every node.
 */
public interface RoomEvents {

	/**
	 * Sends a message from the server to a room.
	 * @param room the room
	 * @param message the message
	 */
	void broadcast(String room, Object message);

	/**
	 * Tells every node that memberships ended (a room destroyed, a node gone), so that
	 * the members hear of it and the holding nodes forget them.
	 * @param room the room
	 * @param connectionIds the connections that left
	 */
	void membershipsEnded(String room, List<String> connectionIds);

	/**
	 * Tells every node that memberships ended, when the room's presence is known (it was
	 * read before the room was destroyed).
	 * @param room the room
	 * @param connectionIds the connections that left
	 * @param presence whether every member hears of it, or only the connection that left
	 */
	void membershipsEnded(String room, List<String> connectionIds, boolean presence);

}
