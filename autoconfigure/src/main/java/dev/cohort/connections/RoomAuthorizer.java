package dev.cohort.connections;

import java.util.List;

/**
 * Decides which rooms a WebSocket client may join ({@code roomJoin}) and view
 * ({@code roomView}); a refusal is answered with an {@code error} frame {@code refused}.
 * It runs on the node that holds the connection, for what clients ask only: the
 * application's own calls ({@link ChatRooms#addMember}) are not checked. The default
 * denies both for the rooms {@code cluster.connections.private-rooms} names and allows
 * every other room; a bean of your own replaces it.
 */
public interface RoomAuthorizer {

	/**
	 * Whether a client may join a room.
	 * @param connection the connection, with its {@link ConnectionInfo#user() user}
	 * @param room the room
	 * @return whether it may
	 */
	boolean mayJoin(ConnectionInfo connection, String room);

	/**
	 * Whether a client may view a room's members.
	 * @param connection the connection, with its {@link ConnectionInfo#user() user}
	 * @param room the room
	 * @return whether it may
	 */
	default boolean mayView(ConnectionInfo connection, String room) {
		return mayJoin(connection, room);
	}

	/**
	 * Denies every room whose name starts with one of the prefixes, allows the rest.
	 * @param privatePrefixes the prefixes of private rooms' names
	 * @return the authorizer
	 */
	static RoomAuthorizer denyingPrivate(List<String> privatePrefixes) {
		List<String> prefixes = List.copyOf(privatePrefixes);
		return (connection, room) -> prefixes.stream().noneMatch(room::startsWith);
	}

}
