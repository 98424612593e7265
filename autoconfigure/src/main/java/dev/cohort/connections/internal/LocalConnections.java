package dev.cohort.connections.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The connections this node holds, and which of them are in each room, so that a node
 * delivers a room's messages to its own members without asking Redis.
 */
final class LocalConnections {

	private final Map<String, LocalConnection> connections = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> roomMembers = new ConcurrentHashMap<>();

	void add(LocalConnection connection) {
		this.connections.put(connection.id(), connection);
	}

	void remove(LocalConnection connection) {
		this.connections.remove(connection.id());
		connection.rooms().forEach((room) -> left(connection, room));
	}

	@Nullable LocalConnection get(String id) {
		return this.connections.get(id);
	}

	int size() {
		return this.connections.size();
	}

	Collection<LocalConnection> all() {
		return List.copyOf(this.connections.values());
	}

	void joined(LocalConnection connection, String room) {
		connection.rooms().add(room);
		// compute, not computeIfAbsent and add: a concurrent last leave must not remove
		// the set between the two.
		this.roomMembers.compute(room, (key, members) -> {
			Set<String> joined = (members != null) ? members : ConcurrentHashMap.newKeySet();
			joined.add(connection.id());
			return joined;
		});
	}

	void left(LocalConnection connection, String room) {
		connection.rooms().remove(room);
		connection.memberDetails().remove(room);
		// A room without members here is forgotten, so that the index does not keep
		// every room ever joined.
		this.roomMembers.computeIfPresent(room, (key, members) -> {
			members.remove(connection.id());
			return members.isEmpty() ? null : members;
		});
	}

	/**
	 * The rooms that have members on this node.
	 * @return the rooms
	 */
	Set<String> rooms() {
		return Set.copyOf(this.roomMembers.keySet());
	}

	List<LocalConnection> inRoom(String room) {
		Set<String> members = this.roomMembers.get(room);
		if (members == null) {
			return List.of();
		}
		return members.stream().map(this.connections::get).filter((connection) -> connection != null).toList();
	}

}
