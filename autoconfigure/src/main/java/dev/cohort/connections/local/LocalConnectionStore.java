package dev.cohort.connections.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.cohort.connections.ConnectionStore;
import org.jspecify.annotations.Nullable;

/**
 * The directory in this JVM's memory, for the local transport: the same steps as the
 * Redis scripts, each atomic because it holds this store's monitor.
 */
public class LocalConnectionStore implements ConnectionStore {

	private final Map<String, String> nodes = new HashMap<>();

	private final Map<String, Map<String, Long>> rooms = new TreeMap<>();

	@Override
	public synchronized void register(String connectionId, String nodeId) {
		this.nodes.put(connectionId, nodeId);
	}

	@Override
	public synchronized void unregister(String connectionId, String nodeId, List<String> rooms) {
		this.nodes.remove(connectionId);
		rooms.forEach((room) -> leave(room, connectionId));
	}

	@Override
	public synchronized Optional<String> nodeOf(String connectionId) {
		return Optional.ofNullable(this.nodes.get(connectionId));
	}

	@Override
	public synchronized Map<String, List<String>> purgeNode(String nodeId) {
		Map<String, List<String>> removed = new LinkedHashMap<>();
		List<String> ids = this.nodes.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(nodeId))
			.map(Map.Entry::getKey)
			.toList();
		for (String id : ids) {
			this.nodes.remove(id);
			this.rooms.forEach((room, members) -> {
				if (members.remove(id) != null) {
					removed.computeIfAbsent(room, (key) -> new ArrayList<>()).add(id);
				}
			});
		}
		return removed;
	}

	@Override
	public synchronized boolean addRoom(String room) {
		return this.rooms.putIfAbsent(room, new LinkedHashMap<>()) == null;
	}

	@Override
	public synchronized List<String> destroyRoom(String room) {
		Map<String, Long> members = this.rooms.remove(room);
		return (members != null) ? List.copyOf(members.keySet()) : List.of();
	}

	@Override
	public synchronized boolean roomExists(String room) {
		return this.rooms.containsKey(room);
	}

	@Override
	public synchronized List<String> rooms() {
		return List.copyOf(this.rooms.keySet());
	}

	@Override
	public synchronized int join(String room, String connectionId, long joinedAtMillis) {
		Map<String, Long> members = this.rooms.get(room);
		if (members == null) {
			return -1;
		}
		return (members.putIfAbsent(connectionId, joinedAtMillis) == null) ? 1 : 0;
	}

	@Override
	public synchronized boolean leave(String room, String connectionId) {
		Map<String, Long> members = this.rooms.get(room);
		return members != null && members.remove(connectionId) != null;
	}

	@Override
	public synchronized @Nullable Map<String, Member> members(String room) {
		Map<String, Long> members = this.rooms.get(room);
		if (members == null) {
			return null;
		}
		Map<String, Member> result = new LinkedHashMap<>();
		members.forEach((id, joinedAt) -> result.put(id, new Member(this.nodes.getOrDefault(id, ""), joinedAt)));
		return result;
	}

}
