package dev.cohort.connections.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.DirectoryFingerprint;
import org.jspecify.annotations.Nullable;

/**
 * The directory in this JVM's memory, for the local transport: the same steps as the
 * Redis scripts, each atomic because it holds this store's monitor.
 */
public class LocalConnectionStore implements ConnectionStore {

	/** Connection id to node id. */
	private final Map<String, String> nodes = new HashMap<>();

	/** Node id to its connection ids. */
	private final Map<String, Set<String>> nodeConnections = new HashMap<>();

	/** Room to its members, connection id to when it joined. */
	private final Map<String, Map<String, Long>> rooms = new TreeMap<>();

	/** Room to the details of its members that have some, connection id to JSON. */
	private final Map<String, Map<String, String>> details = new HashMap<>();

	/** The rooms created with presence off. */
	private final Set<String> quietRooms = new HashSet<>();

	/** Connection id to its rooms. */
	private final Map<String, Set<String>> connectionRooms = new HashMap<>();

	/** Connection id to its user, for connections with one. */
	private final Map<String, String> users = new HashMap<>();

	/** User to its connection ids. */
	private final Map<String, Set<String>> userConnections = new HashMap<>();

	/** Node id to the fingerprint of its entries. */
	private final Map<String, Integer> fingerprints = new HashMap<>();

	private @Nullable String epoch;

	@Override
	public synchronized void register(String connectionId, String nodeId, @Nullable String user) {
		this.nodes.put(connectionId, nodeId);
		if (user != null) {
			this.users.put(connectionId, user);
			this.userConnections.computeIfAbsent(user, (key) -> new LinkedHashSet<>()).add(connectionId);
		}
		if (listed(nodeId).add(connectionId)) {
			changeFingerprint(nodeId, DirectoryFingerprint.connection(connectionId));
		}
	}

	@Override
	public synchronized Forgotten forget(String nodeId, Collection<String> connectionIds) {
		return forget(nodeId, connectionIds, false);
	}

	@Override
	public synchronized Forgotten purgeNode(String nodeId, int limit) {
		List<String> popped = new ArrayList<>();
		Iterator<String> ids = listed(nodeId).iterator();
		while (ids.hasNext() && popped.size() < Math.max(1, limit)) {
			popped.add(ids.next());
			ids.remove();
		}
		return forget(nodeId, popped, true);
	}

	/** As forget.lua. */
	private Forgotten forget(String nodeId, Collection<String> connectionIds, boolean popped) {
		Map<String, List<String>> removed = new LinkedHashMap<>();
		int forgotten = 0;
		int change = 0;
		for (String id : connectionIds) {
			boolean listed = popped || listed(nodeId).remove(id);
			boolean held = nodeId.equals(this.nodes.get(id));
			if (held) {
				this.nodes.remove(id);
				forgetUserOf(id);
			}
			if (listed || held) {
				forgotten++;
				if (listed) {
					change ^= DirectoryFingerprint.connection(id);
				}
				Set<String> rooms = this.connectionRooms.remove(id);
				for (String room : (rooms != null) ? rooms : Set.<String>of()) {
					change ^= DirectoryFingerprint.membership(id, room);
					if (removeMember(room, id)) {
						add(removed, room, id);
					}
				}
			}
		}
		if (listed(nodeId).isEmpty()) {
			this.nodeConnections.remove(nodeId);
			this.fingerprints.remove(nodeId);
		}
		else {
			changeFingerprint(nodeId, change);
		}
		return new Forgotten(forgotten, removed);
	}

	/** As forget.lua: the connection leaves its user's set. */
	private void forgetUserOf(String connectionId) {
		String user = this.users.remove(connectionId);
		Set<String> connections = (user != null) ? this.userConnections.get(user) : null;
		if (user != null && connections != null && connections.remove(connectionId) && connections.isEmpty()) {
			this.userConnections.remove(user);
		}
	}

	@Override
	public synchronized Map<String, String> connectionsOfUser(String user) {
		Map<String, String> result = new LinkedHashMap<>();
		for (String id : this.userConnections.getOrDefault(user, Set.of())) {
			String nodeId = this.nodes.get(id);
			if (nodeId != null) {
				result.put(id, nodeId);
			}
		}
		return result;
	}

	@Override
	public synchronized Optional<String> nodeOf(String connectionId) {
		return Optional.ofNullable(this.nodes.get(connectionId));
	}

	@Override
	public synchronized long connectionCount(String nodeId) {
		Set<String> connections = this.nodeConnections.get(nodeId);
		return (connections != null) ? connections.size() : 0;
	}

	@Override
	public synchronized Map<String, Long> roomSizes() {
		Map<String, Long> sizes = new TreeMap<>();
		this.rooms.forEach((room, members) -> sizes.put(room, (long) members.size()));
		return sizes;
	}

	@Override
	public synchronized boolean addRoom(String room) {
		return addRoom(room, true);
	}

	@Override
	public synchronized boolean addRoom(String room, boolean presence) {
		if (this.rooms.putIfAbsent(room, new LinkedHashMap<>()) != null) {
			return false;
		}
		if (!presence) {
			this.quietRooms.add(room);
		}
		return true;
	}

	@Override
	public synchronized boolean presence(String room) {
		return !this.quietRooms.contains(room);
	}

	@Override
	public synchronized List<String> destroyRoom(String room) {
		Map<String, Long> members = this.rooms.remove(room);
		this.quietRooms.remove(room);
		this.details.remove(room);
		if (members == null) {
			return List.of();
		}
		for (String id : members.keySet()) {
			Set<String> rooms = this.connectionRooms.get(id);
			if (rooms != null && rooms.remove(room)) {
				changeFingerprintOf(id, room);
			}
		}
		return List.copyOf(members.keySet());
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
	public synchronized int join(String room, String connectionId, String nodeId, long joinedAtMillis) {
		return join(room, connectionId, nodeId, joinedAtMillis, null);
	}

	@Override
	public synchronized int join(String room, String connectionId, String nodeId, long joinedAtMillis,
			@Nullable String details) {
		if (!nodeId.equals(this.nodes.get(connectionId))) {
			return NOT_REGISTERED;
		}
		Map<String, Long> members = this.rooms.get(room);
		if (members == null) {
			return NO_SUCH_ROOM;
		}
		if (members.putIfAbsent(connectionId, joinedAtMillis) != null) {
			return 0;
		}
		if (details != null) {
			this.details.computeIfAbsent(room, (key) -> new HashMap<>()).put(connectionId, details);
		}
		if (roomsOf(connectionId).add(room)) {
			changeFingerprint(nodeId, DirectoryFingerprint.membership(connectionId, room));
		}
		return this.quietRooms.contains(room) ? JOINED_QUIETLY : 1;
	}

	@Override
	public synchronized boolean leave(String room, String connectionId) {
		boolean removed = removeMember(room, connectionId);
		Set<String> rooms = this.connectionRooms.get(connectionId);
		if (rooms != null && rooms.remove(room)) {
			changeFingerprintOf(connectionId, room);
		}
		return removed;
	}

	@Override
	public synchronized @Nullable Map<String, Member> members(String room) {
		Map<String, Long> members = this.rooms.get(room);
		if (members == null) {
			return null;
		}
		Map<String, String> details = this.details.getOrDefault(room, Map.of());
		Map<String, Member> result = new LinkedHashMap<>();
		members.forEach((id, joinedAt) -> result.put(id,
				new Member(this.nodes.getOrDefault(id, ""), joinedAt, this.users.get(id), details.get(id))));
		return result;
	}

	@Override
	public synchronized Summary summary(String nodeId, String newEpoch) {
		String epoch = this.epoch;
		boolean created = epoch == null;
		if (epoch == null) {
			epoch = newEpoch;
			this.epoch = epoch;
		}
		Set<String> connections = this.nodeConnections.get(nodeId);
		return new Summary(epoch, created, (connections != null) ? connections.size() : 0,
				this.fingerprints.getOrDefault(nodeId, 0));
	}

	/** As reassert.lua. */
	@Override
	public synchronized Reassertion reassert(String nodeId, List<Held> connections, boolean recreateRooms,
			long joinedAtMillis) {
		Map<String, List<String>> joined = new LinkedHashMap<>();
		Map<String, List<String>> left = new LinkedHashMap<>();
		Map<String, List<String>> gone = new LinkedHashMap<>();
		int change = 0;
		for (Held held : connections) {
			String id = held.connectionId();
			this.nodes.put(id, nodeId);
			String user = held.user();
			if (user != null) {
				this.users.put(id, user);
				this.userConnections.computeIfAbsent(user, (key) -> new LinkedHashSet<>()).add(id);
			}
			if (listed(nodeId).add(id)) {
				change ^= DirectoryFingerprint.connection(id);
			}
			Set<String> rooms = roomsOf(id);
			for (String room : List.copyOf(rooms)) {
				if (!held.rooms().contains(room)) {
					rooms.remove(room);
					change ^= DirectoryFingerprint.membership(id, room);
					if (removeMember(room, id)) {
						add(left, room, id);
					}
				}
			}
			for (String room : held.rooms()) {
				boolean exists = this.rooms.containsKey(room);
				if (!exists && recreateRooms) {
					addRoom(room);
					exists = true;
				}
				if (exists) {
					if (rooms.add(room)) {
						change ^= DirectoryFingerprint.membership(id, room);
					}
					Map<String, Long> members = this.rooms.get(room);
					if (members != null && members.putIfAbsent(id, joinedAtMillis) == null) {
						add(joined, room, id);
						String details = held.details().get(room);
						if (details != null) {
							this.details.computeIfAbsent(room, (key) -> new HashMap<>()).put(id, details);
						}
					}
				}
				else {
					if (rooms.remove(room)) {
						change ^= DirectoryFingerprint.membership(id, room);
					}
					add(gone, room, id);
				}
			}
		}
		changeFingerprint(nodeId, change);
		return new Reassertion(joined, left, gone);
	}

	@Override
	public void connectionsOf(String nodeId, int batchSize, Consumer<List<String>> batches) {
		List<String> all;
		synchronized (this) {
			all = List.copyOf(this.nodeConnections.getOrDefault(nodeId, Set.of()));
		}
		for (int from = 0; from < all.size(); from += batchSize) {
			batches.accept(all.subList(from, Math.min(all.size(), from + batchSize)));
		}
	}

	@Override
	public synchronized void setFingerprint(String nodeId, int fingerprint) {
		this.fingerprints.put(nodeId, fingerprint);
	}

	private void changeFingerprint(String nodeId, int change) {
		if (change != 0) {
			this.fingerprints.merge(nodeId, change, (current, more) -> current ^ more);
		}
	}

	/** A membership of a connection changed: changes the fingerprint of its node. */
	private void changeFingerprintOf(String connectionId, String room) {
		String nodeId = this.nodes.get(connectionId);
		if (nodeId != null) {
			changeFingerprint(nodeId, DirectoryFingerprint.membership(connectionId, room));
		}
	}

	private boolean removeMember(String room, String connectionId) {
		Map<String, Long> members = this.rooms.get(room);
		Map<String, String> details = this.details.get(room);
		if (details != null && details.remove(connectionId) != null && details.isEmpty()) {
			this.details.remove(room);
		}
		return members != null && members.remove(connectionId) != null;
	}

	private Set<String> listed(String nodeId) {
		return this.nodeConnections.computeIfAbsent(nodeId, (key) -> new LinkedHashSet<>());
	}

	private Set<String> roomsOf(String connectionId) {
		return this.connectionRooms.computeIfAbsent(connectionId, (key) -> new LinkedHashSet<>());
	}

	private static void add(Map<String, List<String>> byRoom, String room, String connectionId) {
		byRoom.computeIfAbsent(room, (key) -> new ArrayList<>()).add(connectionId);
	}

}
