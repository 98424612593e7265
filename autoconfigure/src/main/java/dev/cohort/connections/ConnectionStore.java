package dev.cohort.connections;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The directory of connections and room members: which node holds each connection, which
 * rooms exist and who is in them. Only the holding node keeps the connection itself.
 * <p>
 * What each method guarantees holds under concurrent calls (a join that races its
 * connection's close leaves no member; concurrent purges report each membership once).
 * The local store runs each method atomically. The Redis store spreads the directory over
 * hash tags (per node, per room, per user, per bucket of the connection index), so that
 * it spreads over the masters of a Redis Cluster, and runs a method that touches several
 * as a few steps, each atomic on one tag, in an order that leaves what a step that failed
 * half-way left wrong to the node's checks, its repair ({@link #reassert}) or a purge.
 * <p>
 * Besides the rooms' member lists, the directory keeps for each connection the rooms it
 * is in, and for each node a {@link DirectoryFingerprint fingerprint} of its entries, so
 * that forgetting a connection costs only its own rooms, and a node can check cheaply
 * that the directory still agrees with what it holds.
 */
public interface ConnectionStore {

	/**
	 * What {@link #join} answers when it added the connection to a room with presence
	 * off, so that the caller need not read the room's presence again.
	 */
	int JOINED_QUIETLY = 2;

	/** What {@link #join} answers when the room does not exist. */
	int NO_SUCH_ROOM = -1;

	/** What {@link #join} answers when the connection is not registered to the node. */
	int NOT_REGISTERED = -2;

	/**
	 * Records that a node holds a connection.
	 * @param connectionId the connection
	 * @param nodeId the node
	 */
	default void register(String connectionId, String nodeId) {
		register(connectionId, nodeId, null);
	}

	/**
	 * Records that a node holds a connection of a user, or of an anonymous client. The
	 * connection is listed under its user until it is forgotten.
	 * @param connectionId the connection
	 * @param nodeId the node
	 * @param user the name of the principal the handshake authenticated, or {@code null}
	 */
	void register(String connectionId, String nodeId, @Nullable String user);

	/**
	 * The connections of a user, on any node.
	 * @param user the user
	 * @return each connection id to the node that holds it, empty if the user has none
	 */
	Map<String, String> connectionsOfUser(String user);

	/**
	 * Forgets a connection and takes it out of every room the directory holds for it.
	 * @param connectionId the connection
	 * @param nodeId the node that held it
	 * @return the rooms it was taken out of
	 */
	default List<String> unregister(String connectionId, String nodeId) {
		return List.copyOf(forget(nodeId, List.of(connectionId)).memberships().keySet());
	}

	/**
	 * Forgets those of the given connections that the directory lists for a node, and
	 * takes them out of every room.
	 * @param nodeId the node
	 * @param connectionIds the connections
	 * @return what was removed
	 */
	Forgotten forget(String nodeId, Collection<String> connectionIds);

	/**
	 * The node that holds a connection.
	 * @param connectionId the connection
	 * @return the node id, or empty
	 */
	Optional<String> nodeOf(String connectionId);

	/**
	 * Forgets up to {@code limit} of the connections of a node that left, and takes them
	 * out of their rooms. Callers repeat it until it forgets nothing more. When several
	 * nodes purge the same node at once, each connection is forgotten, and each
	 * membership reported, by one of them only.
	 * @param nodeId the node
	 * @param limit how many connections at most
	 * @return what was removed
	 */
	Forgotten purgeNode(String nodeId, int limit);

	/**
	 * How many connections the directory lists for a node.
	 * @param nodeId the node
	 * @return the count
	 */
	long connectionCount(String nodeId);

	/**
	 * Every room and how many members it has, counted without reading the members.
	 * @return room to member count, by room
	 */
	Map<String, Long> roomSizes();

	/**
	 * Creates a room.
	 * @param room the room
	 * @return whether it was created (false if it existed)
	 */
	boolean addRoom(String room);

	/**
	 * Creates a room, with presence on or off; a room that exists keeps its own.
	 * @param room the room
	 * @param presence whether every member hears of each join and leave
	 * @return whether it was created (false if it existed)
	 */
	default boolean addRoom(String room, boolean presence) {
		if (!presence) {
			throw new UnsupportedOperationException(getClass().getName() + " has no rooms with presence off");
		}
		return addRoom(room);
	}

	/**
	 * Whether every member of a room hears of each join and leave: true unless the room
	 * was created with presence off (and for a room that does not exist).
	 * @param room the room
	 * @return whether it has presence
	 */
	default boolean presence(String room) {
		return true;
	}

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
	 * How many rooms exist.
	 * @return the count
	 */
	default long roomCount() {
		return rooms().size();
	}

	/**
	 * Adds a connection to a room that exists, if the directory lists the connection for
	 * the node that asks: a join that arrives after its connection closed adds nobody.
	 * @param room the room
	 * @param connectionId the connection
	 * @param nodeId the node that holds the connection
	 * @param joinedAtMillis when it joins
	 * @return 1 if added, {@link #JOINED_QUIETLY} if added to a room with presence off, 0
	 * if it was in already, {@link #NO_SUCH_ROOM} or {@link #NOT_REGISTERED}
	 */
	int join(String room, String connectionId, String nodeId, long joinedAtMillis);

	/**
	 * Adds a connection to a room that exists, with the details it shows to others, if
	 * the directory lists the connection for the node that asks. A connection that was in
	 * already keeps the details it joined with. By default the details are not kept (a
	 * store of an older design): the member shows none.
	 * @param room the room
	 * @param connectionId the connection
	 * @param nodeId the node that holds the connection
	 * @param joinedAtMillis when it joins
	 * @param details its member details, a JSON object, or {@code null} for none
	 * @return 1 if added, {@link #JOINED_QUIETLY} if added to a room with presence off, 0
	 * if it was in already, {@link #NO_SUCH_ROOM} or {@link #NOT_REGISTERED}
	 */
	default int join(String room, String connectionId, String nodeId, long joinedAtMillis, @Nullable String details) {
		return join(room, connectionId, nodeId, joinedAtMillis);
	}

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
	 * @return each member's connection id to its node, when it joined and its user, or
	 * {@code null} if the room does not exist
	 */
	@Nullable Map<String, Member> members(String room);

	/**
	 * What the directory holds for a node, in two numbers, and the directory's epoch: a
	 * random id the directory gets when it is first used, and a new one whenever it has
	 * lost its data (a Redis restarted without persistence, a flush). An epoch that
	 * changed tells a node that rooms, not only its own entries, may be missing.
	 * @param nodeId the node
	 * @param newEpoch the epoch to give the directory if it has none
	 * @return the summary
	 */
	Summary summary(String nodeId, String newEpoch);

	/**
	 * Writes again what a node holds, for some of its connections: registers each (under
	 * its user, if it has one), adds it to each of its rooms it is missing from, and
	 * takes it out of the rooms the directory has but the node does not.
	 * @param nodeId the node
	 * @param connections the connections, each with the rooms it is in on the node
	 * @param recreateRooms whether to create again rooms that do not exist (the directory
	 * lost them), or report those memberships as gone (the room was destroyed)
	 * @param joinedAtMillis when memberships that are added again joined
	 * @return what was changed
	 */
	Reassertion reassert(String nodeId, List<Held> connections, boolean recreateRooms, long joinedAtMillis);

	/**
	 * Visits the connections the directory lists for a node, in batches of about the
	 * given size. A connection listed all along is visited at least once.
	 * @param nodeId the node
	 * @param batchSize about how many connections per batch
	 * @param batches receives the batches
	 */
	void connectionsOf(String nodeId, int batchSize, Consumer<List<String>> batches);

	/**
	 * Sets the fingerprint of a node's entries, once the node has checked each of them.
	 * @param nodeId the node
	 * @param fingerprint the fingerprint of what it holds
	 */
	void setFingerprint(String nodeId, int fingerprint);

	/**
	 * A member of a room, as the directory knows it.
	 *
	 * @param nodeId the node that holds the connection
	 * @param joinedAtMillis when it joined
	 * @param user the connection's user, or {@code null} for an anonymous client
	 * @param details its member details, a JSON object, or {@code null} for none
	 */
	record Member(String nodeId, long joinedAtMillis, @Nullable String user, @Nullable String details) {

		/**
		 * A member without details.
		 * @param nodeId the node that holds the connection
		 * @param joinedAtMillis when it joined
		 * @param user the connection's user, or {@code null} for an anonymous client
		 */
		public Member(String nodeId, long joinedAtMillis, @Nullable String user) {
			this(nodeId, joinedAtMillis, user, null);
		}

		/**
		 * A member of an anonymous client.
		 * @param nodeId the node that holds the connection
		 * @param joinedAtMillis when it joined
		 */
		public Member(String nodeId, long joinedAtMillis) {
			this(nodeId, joinedAtMillis, null);
		}

	}

	/**
	 * What forgetting connections removed.
	 *
	 * @param connections how many connections were forgotten
	 * @param memberships the memberships removed, room to connection ids
	 */
	record Forgotten(int connections, Map<String, List<String>> memberships) {
	}

	/**
	 * What the directory holds for a node.
	 *
	 * @param epoch the directory's epoch
	 * @param epochCreated whether the directory had none and got the new one
	 * @param connections how many connections it lists for the node
	 * @param fingerprint the {@link DirectoryFingerprint fingerprint} of the node's
	 * entries
	 */
	record Summary(String epoch, boolean epochCreated, long connections, int fingerprint) {
	}

	/**
	 * A connection a node holds, the rooms it is in there, and its user.
	 *
	 * @param connectionId the connection
	 * @param rooms its rooms
	 * @param user its user, listed again with the connection, or {@code null} for an
	 * anonymous client
	 * @param details the member details of its rooms that have some, room to JSON object,
	 * written again with memberships the directory lost
	 */
	record Held(String connectionId, Set<String> rooms, @Nullable String user, Map<String, String> details) {

		/**
		 * A connection without member details.
		 * @param connectionId the connection
		 * @param rooms its rooms
		 * @param user its user, or {@code null} for an anonymous client
		 */
		public Held(String connectionId, Set<String> rooms, @Nullable String user) {
			this(connectionId, rooms, user, Map.of());
		}

		/**
		 * A connection of an anonymous client.
		 * @param connectionId the connection
		 * @param rooms its rooms
		 */
		public Held(String connectionId, Set<String> rooms) {
			this(connectionId, rooms, null);
		}

	}

	/**
	 * What writing again what a node holds changed.
	 *
	 * @param joined memberships added again, room to connection ids
	 * @param left memberships the node did not hold, removed, room to connection ids
	 * @param gone memberships of rooms that do not exist, room to connection ids
	 */
	record Reassertion(Map<String, List<String>> joined, Map<String, List<String>> left,
			Map<String, List<String>> gone) {

		/**
		 * Whether nothing was missing or wrong.
		 * @return whether nothing changed
		 */
		public boolean isEmpty() {
			return this.joined.isEmpty() && this.left.isEmpty() && this.gone.isEmpty();
		}

	}

}
