package dev.cohort.chat;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a member of a room shows to others (ActionHero's {@code generateMemberDetails} and
 * {@code sanitizeMemberDetails}). Both run on the node that holds the connection, as it
 * joins, after the join middleware: {@link #generate} computes the details from the
 * connection, {@link #sanitize} keeps what others may see, and only what it keeps leaves
 * the node. The directory stores those details with the membership, so that every node
 * sees them in {@link RoomMember#details()} and clients in their {@code roomView}.
 * <p>
 * Details are a JSON object (maps, lists, strings, numbers, booleans) of at most
 * {@code cluster.chat.max-member-details-size} once written with the application's JSON
 * mapper; larger details refuse the join with a {@link ChatRefusedException} that says
 * so. An empty map stores nothing. The default bean shows nothing beyond what every
 * member shows (connection id, node, join time and user); a bean of your own replaces it.
 * Details are computed once per join: a member that changes keeps the details it joined
 * with until it leaves and joins again.
 */
public interface RoomMemberDetails {

	/** Details for no member: the default. */
	RoomMemberDetails NONE = (connectionId, user, attributes, room) -> Map.of();

	/**
	 * Computes a member's details as it joins a room, on the node that holds it.
	 * @param connectionId the connection
	 * @param user the name of the principal its handshake authenticated, or {@code null}
	 * for an anonymous client
	 * @param attributes its attributes (read only)
	 * @param room the room it joins
	 * @return its details, empty for none
	 * @throws ChatRefusedException to refuse the join
	 */
	Map<String, @Nullable Object> generate(String connectionId, @Nullable String user, Map<String, Object> attributes,
			String room);

	/**
	 * Keeps of a member's details what others may see, before they leave the node: what
	 * this returns is stored and shown. By default, all of them.
	 * @param room the room
	 * @param details what {@link #generate} computed
	 * @return what others may see, empty for nothing
	 */
	default Map<String, @Nullable Object> sanitize(String room, Map<String, @Nullable Object> details) {
		return details;
	}

}
