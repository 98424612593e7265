package dev.cohort.connections;

import java.util.List;

/**
 * Decides which rooms a WebSocket client may join ({@code roomJoin}), and which rooms it
 * may view ({@code roomView}) without being a member (members may always view their
 * room); a refusal is answered with an {@code error} frame {@code refused}. It runs on
 * the node that holds the connection, for what clients ask only: the application's own
 * calls ({@link dev.cohort.chat.ChatRooms#addMember},
 * {@link dev.cohort.chat.ChatRooms#status}) are not checked. The default denies joins to
 * the rooms {@code cluster.connections.private-rooms} names, allows joins to every other
 * room, and lets no client view a room it is not in; a bean of your own replaces it.
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
	 * Whether a client that is not a member of a room may view its members (a member may,
	 * without asking). By default it may not, as in ActionHero: override this to let, for
	 * example, a lobby's visitors see who is in before they join.
	 * @param connection the connection, with its {@link ConnectionInfo#user() user}
	 * @param room the room
	 * @return whether it may
	 */
	default boolean mayView(ConnectionInfo connection, String room) {
		return false;
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
