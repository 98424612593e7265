package dev.cohort.connections.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.internal.redis.RedisScripts;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The directory in Redis, spread over the shards of a Redis Cluster by hash tag: each
 * node's entries under {@code {<ns>:chat:node:<node>}}, each room's under
 * {@code {<ns>:chat:room:<room>}}, the index of connection id to node in
 * {@link ClusterKeys#CHAT_HOLDER_BUCKETS} buckets, each user's connections under
 * {@code {<ns>:chat:user:<user>}}, and only the epoch and the list of rooms under
 * {@code {<ns>:chat:directory}}. Every script works on one tag; an operation that changes
 * several (a join changes its node's and its room's) runs one script per tag, in an order
 * chosen so that a failure between two leaves what the node's check, its repair or a
 * purge sets right (see {@code docs/connections-and-chat.md}):
 * <ul>
 * <li>an entry is written in the node's own tag last (register, reassert), and taken out
 * of it first (leave: the room's member goes first; forget: the connection is moved to
 * the node's {@code leaving} set, its rooms, index entry and user are cleaned, then the
 * node's tag lets it go), so that a change that stops half-way shows as a difference of
 * the node's count or fingerprint, which its check repairs, or stays in the node's keys,
 * where its purge finds it;</li>
 * <li>a join writes its node's membership first, then the room's member, then checks that
 * the node still lists both, and takes the member out again if not, so that a join that
 * races its connection's close never leaves a member behind.</li>
 * </ul>
 * On one Redis (standalone or Sentinel) the tags change nothing.
 */
public class RedisConnectionStore implements ConnectionStore {

	private static final RedisScripts SCRIPTS = RedisScripts.in("dev/cohort/connections/redis", "common.lua");

	private static final RedisScript<Long> NODE_REGISTER = SCRIPTS.script("node-register.lua", Long.class);

	private static final RedisScript<Long> NODE_JOIN = SCRIPTS.script("node-join.lua", Long.class);

	private static final RedisScript<Long> NODE_HOLDS = SCRIPTS.script("node-holds.lua", Long.class);

	private static final RedisScript<Long> NODE_LEAVE = SCRIPTS.script("node-leave.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> NODE_FORGET = SCRIPTS.script("node-forget.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> NODE_FINISH = SCRIPTS.script("node-finish.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> NODE_SUMMARY = SCRIPTS.script("node-summary.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> NODE_REASSERT = SCRIPTS.script("node-reassert.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> NODE_REASSERT_ROOMS = SCRIPTS.script("node-reassert-rooms.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HOLDERS_FORGET = SCRIPTS.script("holders-forget.lua", List.class);

	private static final RedisScript<Long> ROOM_ADD = SCRIPTS.script("room-add.lua", Long.class);

	private static final RedisScript<Long> ROOM_JOIN = SCRIPTS.script("room-join.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOM_REMOVE = SCRIPTS.script("room-remove.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOM_MEMBERS = SCRIPTS.script("room-members.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOM_DESTROY = SCRIPTS.script("room-destroy.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOM_REASSERT = SCRIPTS.script("room-reassert.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> EPOCH = SCRIPTS.script("epoch.lua", List.class);

	/** What {@code node-forget.lua} answers for a connection the node listed. */
	private static final int LISTED = 2;

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	public RedisConnectionStore(StringRedisTemplate redis, ClusterKeys keys) {
		this.redis = ClusterRetry.template(redis);
		this.keys = keys;
	}

	/**
	 * Writes the index entry and the user's first, the node's own last: a failure between
	 * leaves the node's count and fingerprint short of what it holds, which its check
	 * repairs by writing it again.
	 */
	@Override
	public void register(String connectionId, String nodeId, @Nullable String user) {
		this.redis.opsForHash().put(this.keys.chatHolders(connectionId), connectionId, nodeId);
		if (user != null) {
			this.redis.opsForSet().add(this.keys.chatUser(user), connectionId);
		}
		this.redis.execute(NODE_REGISTER, List.of(connectionsKey(nodeId), fingerprintKey(nodeId), usersKey(nodeId)),
				connectionId, (user != null) ? user : "");
	}

	@Override
	public Map<String, String> connectionsOfUser(String user) {
		Set<String> ids = this.redis.opsForSet().members(this.keys.chatUser(user));
		return (ids != null) ? holders(ids) : Map.of();
	}

	/**
	 * The node of each connection that has one, reading each bucket of the index once.
	 */
	private Map<String, String> holders(Collection<String> connectionIds) {
		Map<String, String> holders = new LinkedHashMap<>();
		byBucket(connectionIds).forEach((bucket, ids) -> {
			List<Object> nodes = this.redis.opsForHash().multiGet(bucket, List.copyOf(ids));
			for (int i = 0; i < ids.size(); i++) {
				Object node = (i < nodes.size()) ? nodes.get(i) : null;
				if (node != null) {
					holders.put(ids.get(i), node.toString());
				}
			}
		});
		return holders;
	}

	private Map<String, List<String>> byBucket(Collection<String> connectionIds) {
		Map<String, List<String>> byBucket = new LinkedHashMap<>();
		for (String id : connectionIds) {
			add(byBucket, this.keys.chatHolders(id), id);
		}
		return byBucket;
	}

	@Override
	public Forgotten forget(String nodeId, Collection<String> connectionIds) {
		return forget(nodeId, 0, connectionIds);
	}

	@Override
	public Forgotten purgeNode(String nodeId, int limit) {
		return forget(nodeId, Math.max(1, limit), List.of());
	}

	/**
	 * Marks the connections as being forgotten in the node's tag (which also takes them
	 * out of its fingerprint and answers their rooms and users), takes them out of the
	 * index, their rooms and their users, then deletes what the node's tag has left of
	 * them. A failure half-way leaves them in the node's {@code leaving} set with their
	 * rooms, where the next forget or purge of the node, or its repair, finds them.
	 */
	private Forgotten forget(String nodeId, int limit, Collection<String> connectionIds) {
		List<String> arguments = new ArrayList<>(connectionIds.size() + 1);
		arguments.add(Integer.toString(limit));
		arguments.addAll(connectionIds);
		List<Claim> claims = claims(this.redis.execute(NODE_FORGET, nodeKeys(nodeId), arguments.toArray()));
		if (claims.isEmpty()) {
			return new Forgotten(0, Map.of());
		}
		List<String> ids = claims.stream().map(Claim::connectionId).toList();
		Set<String> held = forgetHolders(nodeId, ids);
		Map<String, List<String>> byRoom = new TreeMap<>();
		for (Claim claim : claims) {
			claim.rooms().forEach((room) -> add(byRoom, room, claim.connectionId()));
		}
		Map<String, List<String>> memberships = new LinkedHashMap<>();
		byRoom.forEach((room, members) -> removeMembers(room, nodeId, members)
			.forEach((id, node) -> add(memberships, room, id)));
		for (Claim claim : claims) {
			if (!claim.user().isEmpty() && held.contains(claim.connectionId())) {
				this.redis.opsForSet().remove(this.keys.chatUser(claim.user()), claim.connectionId());
			}
		}
		List<String> finished = RedisScripts.strings(this.redis.execute(NODE_FINISH, nodeKeys(nodeId), ids.toArray()));
		// The first element is the count, the rest the ids this call finished.
		Set<String> finishedIds = new HashSet<>(finished.subList(Math.min(1, finished.size()), finished.size()));
		int forgotten = 0;
		for (Claim claim : claims) {
			String id = claim.connectionId();
			boolean counted = (limit > 0) ? finishedIds.contains(id)
					: claim.state() == LISTED || held.contains(id) || finishedIds.contains(id);
			forgotten += counted ? 1 : 0;
		}
		return new Forgotten(forgotten, memberships);
	}

	private static List<Claim> claims(@Nullable List<?> reply) {
		List<Claim> claims = new ArrayList<>();
		int i = 0;
		while (reply != null && i + 3 < reply.size()) {
			int count = (int) RedisScripts.number(reply.get(i + 3));
			List<String> rooms = new ArrayList<>(count);
			for (int j = i + 4; j < i + 4 + count; j++) {
				rooms.add(String.valueOf(reply.get(j)));
			}
			claims.add(new Claim(String.valueOf(reply.get(i)), (int) RedisScripts.number(reply.get(i + 1)),
					String.valueOf(reply.get(i + 2)), rooms));
			i += 4 + count;
		}
		return claims;
	}

	/** Takes connections out of the index where the node still holds them. */
	private Set<String> forgetHolders(String nodeId, List<String> connectionIds) {
		Set<String> removed = new HashSet<>();
		byBucket(connectionIds).forEach((bucket, ids) -> {
			List<Object> arguments = new ArrayList<>(ids.size() + 1);
			arguments.add(nodeId);
			arguments.addAll(ids);
			removed
				.addAll(RedisScripts.strings(this.redis.execute(HOLDERS_FORGET, List.of(bucket), arguments.toArray())));
		});
		return removed;
	}

	/**
	 * Takes connections out of a room, those of the given node only, or of any if it is
	 * empty.
	 * @return each connection taken out to its node
	 */
	private Map<String, String> removeMembers(String room, String nodeId, Collection<String> connectionIds) {
		List<String> arguments = new ArrayList<>(connectionIds.size() + 1);
		arguments.add(nodeId);
		arguments.addAll(connectionIds);
		List<?> reply = this.redis.execute(ROOM_REMOVE, List.of(membersKey(room), detailsKey(room)),
				arguments.toArray());
		Map<String, String> removed = new LinkedHashMap<>();
		for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
			removed.put(String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)));
		}
		return removed;
	}

	/** Takes a room out of the rooms of some connections of a node. */
	private void leaveOnNode(String nodeId, String room, Collection<String> connectionIds) {
		List<String> arguments = new ArrayList<>(connectionIds.size() + 1);
		arguments.add(room);
		arguments.addAll(connectionIds);
		this.redis.execute(NODE_LEAVE,
				List.of(connectionsKey(nodeId), fingerprintKey(nodeId), this.keys.chatNodeRoomsPrefix(nodeId)),
				arguments.toArray());
	}

	@Override
	public Optional<String> nodeOf(String connectionId) {
		Object node = this.redis.opsForHash().get(this.keys.chatHolders(connectionId), connectionId);
		return Optional.ofNullable(node).map(Object::toString);
	}

	@Override
	public long connectionCount(String nodeId) {
		Long count = this.redis.opsForSet().size(connectionsKey(nodeId));
		return (count != null) ? count : 0;
	}

	/** One {@code HLEN} per room, each on the room's shard. */
	@Override
	public Map<String, Long> roomSizes() {
		Map<String, Long> sizes = new TreeMap<>();
		for (String room : rooms()) {
			Long size = this.redis.opsForHash().size(membersKey(room));
			sizes.put(room, (size != null) ? size : 0);
		}
		return sizes;
	}

	@Override
	public boolean addRoom(String room) {
		return addRoom(room, true);
	}

	/**
	 * Creates the room's state, then lists it, always: a failure between the two is set
	 * right by adding the room again.
	 */
	@Override
	public boolean addRoom(String room, boolean presence) {
		boolean created = RedisScripts
			.isOne(this.redis.execute(ROOM_ADD, List.of(this.keys.chatRoomState(room)), presence ? "1" : "0"));
		this.redis.opsForSet().add(this.keys.chatRooms(), room);
		return created;
	}

	@Override
	public boolean presence(String room) {
		return !"0".equals(this.redis.opsForHash().get(this.keys.chatRoomState(room), "presence"));
	}

	/**
	 * Takes the room out of its members' nodes first, then deletes it (and then takes it
	 * out of those that joined meanwhile), then takes it off the list. A failure before
	 * the room is deleted leaves it in place, with nodes whose fingerprint now differs
	 * from what they hold, which their checks repair.
	 */
	@Override
	public List<String> destroyRoom(String room) {
		Map<String, String> before = nodesOf(members(ROOM_MEMBERS, room));
		if (before != null) {
			leaveOnNodes(room, before);
		}
		Map<String, String> members = nodesOf(members(ROOM_DESTROY, room));
		if (members != null) {
			Map<String, String> since = new LinkedHashMap<>(members);
			if (before != null) {
				since.entrySet().removeIf((member) -> member.getValue().equals(before.get(member.getKey())));
			}
			leaveOnNodes(room, since);
		}
		this.redis.opsForSet().remove(this.keys.chatRooms(), room);
		if (Boolean.TRUE.equals(this.redis.hasKey(this.keys.chatRoomState(room)))) {
			// Created again meanwhile: listed again.
			this.redis.opsForSet().add(this.keys.chatRooms(), room);
		}
		return (members != null) ? List.copyOf(members.keySet()) : List.of();
	}

	/**
	 * Each member's connection id to its value and details (empty for none), or null if
	 * the room does not exist.
	 */
	@SuppressWarnings("rawtypes")
	private @Nullable Map<String, String[]> members(RedisScript<List> script, String room) {
		List<?> reply = this.redis.execute(script,
				List.of(this.keys.chatRoomState(room), membersKey(room), detailsKey(room)));
		if (reply == null || reply.isEmpty() || RedisScripts.number(reply.get(0)) == 0) {
			return null;
		}
		Map<String, String[]> members = new LinkedHashMap<>();
		for (int i = 1; i + 2 < reply.size(); i += 3) {
			members.put(String.valueOf(reply.get(i)),
					new String[] { String.valueOf(reply.get(i + 1)), String.valueOf(reply.get(i + 2)) });
		}
		return members;
	}

	/** Each member's connection id to its node, or null if the room does not exist. */
	private static @Nullable Map<String, String> nodesOf(@Nullable Map<String, String[]> members) {
		if (members == null) {
			return null;
		}
		Map<String, String> nodes = new LinkedHashMap<>();
		members.forEach((id, value) -> nodes.put(id, member(value[0], null, "").nodeId()));
		return nodes;
	}

	private void leaveOnNodes(String room, Map<String, String> members) {
		Map<String, List<String>> byNode = new LinkedHashMap<>();
		members.forEach((id, node) -> add(byNode, node, id));
		byNode.forEach((node, ids) -> leaveOnNode(node, room, ids));
	}

	@Override
	public boolean roomExists(String room) {
		return Boolean.TRUE.equals(this.redis.hasKey(this.keys.chatRoomState(room)));
	}

	@Override
	public List<String> rooms() {
		Set<String> rooms = this.redis.opsForSet().members(this.keys.chatRooms());
		return (rooms != null) ? rooms.stream().sorted().toList() : List.of();
	}

	@Override
	public long roomCount() {
		Long count = this.redis.opsForSet().size(this.keys.chatRooms());
		return (count != null) ? count : 0;
	}

	/**
	 * Writes the membership in the node's tag (if it lists the connection), then the
	 * room's member, then checks that the node's tag still has both: a forget that ran
	 * meanwhile may have cleaned the room before the member was written, so the member is
	 * taken out again. A failure after the first step leaves the node's fingerprint
	 * different from what it holds, which its check repairs.
	 */
	@Override
	public int join(String room, String connectionId, String nodeId, long joinedAtMillis) {
		return join(room, connectionId, nodeId, joinedAtMillis, null);
	}

	@Override
	public int join(String room, String connectionId, String nodeId, long joinedAtMillis, @Nullable String details) {
		Long onNode = this.redis.execute(NODE_JOIN,
				List.of(connectionsKey(nodeId), this.keys.chatNodeRooms(nodeId, connectionId), fingerprintKey(nodeId)),
				connectionId, room);
		if (onNode == null || onNode == NOT_REGISTERED) {
			return NOT_REGISTERED;
		}
		Long inRoom = this.redis.execute(ROOM_JOIN,
				List.of(this.keys.chatRoomState(room), membersKey(room), detailsKey(room)), connectionId,
				joinedAtMillis + ":" + nodeId, (details != null) ? details : "");
		if (inRoom == null || inRoom == NO_SUCH_ROOM) {
			leaveOnNode(nodeId, room, List.of(connectionId));
			return NO_SUCH_ROOM;
		}
		if (inRoom == 0) {
			return 0;
		}
		if (!RedisScripts.isOne(this.redis.execute(NODE_HOLDS,
				List.of(connectionsKey(nodeId), this.keys.chatNodeRooms(nodeId, connectionId)), connectionId, room))) {
			removeMembers(room, nodeId, List.of(connectionId));
			return NOT_REGISTERED;
		}
		return (inRoom == JOINED_QUIETLY) ? JOINED_QUIETLY : 1;
	}

	/**
	 * Takes the member out of the room, then the room out of its node's tag: a failure
	 * between leaves the node's fingerprint different from what it holds, which its check
	 * repairs.
	 */
	@Override
	public boolean leave(String room, String connectionId) {
		Map<String, String> removed = removeMembers(room, "", List.of(connectionId));
		String nodeId = removed.get(connectionId);
		if (nodeId == null) {
			nodeId = nodeOf(connectionId).orElse(null);
		}
		if (nodeId != null) {
			leaveOnNode(nodeId, room, List.of(connectionId));
		}
		return !removed.isEmpty();
	}

	@Override
	public @Nullable Map<String, Member> members(String room) {
		Map<String, String[]> members = members(ROOM_MEMBERS, room);
		if (members == null) {
			return null;
		}
		// The users live with their nodes: one read of each node's users.
		Map<String, List<String>> byNode = new LinkedHashMap<>();
		members.forEach((id, value) -> add(byNode, member(value[0], null, "").nodeId(), id));
		Map<String, String> users = new HashMap<>();
		byNode.forEach((nodeId, ids) -> {
			List<Object> found = this.redis.opsForHash().multiGet(usersKey(nodeId), List.copyOf(ids));
			for (int i = 0; i < ids.size() && i < found.size(); i++) {
				Object user = found.get(i);
				if (user != null) {
					users.put(ids.get(i), user.toString());
				}
			}
		});
		Map<String, Member> result = new LinkedHashMap<>();
		members.forEach((id, value) -> result.put(id, member(value[0], users.get(id), value[1])));
		return result;
	}

	/**
	 * A member's value, {@code <joined at ms>:<node id>}, its user if known and its
	 * details, empty for none.
	 */
	private static Member member(String value, @Nullable String user, String details) {
		int colon = value.indexOf(':');
		return new Member(value.substring(colon + 1), Long.parseLong(value.substring(0, colon)), user,
				details.isEmpty() ? null : details);
	}

	/**
	 * Lists the connections that have a user under it again, and with the node's users,
	 * which the fingerprint does not cover: written with every reassertion.
	 */
	private void reassertUsers(String nodeId, List<Held> connections) {
		Map<String, String> users = new LinkedHashMap<>();
		Map<String, List<String>> byUser = new LinkedHashMap<>();
		for (Held held : connections) {
			String user = held.user();
			if (user != null) {
				users.put(held.connectionId(), user);
				add(byUser, user, held.connectionId());
			}
		}
		if (!users.isEmpty()) {
			byUser.forEach(
					(user, ids) -> this.redis.opsForSet().add(this.keys.chatUser(user), ids.toArray(new String[0])));
			this.redis.opsForHash().putAll(usersKey(nodeId), users);
		}
	}

	@Override
	public Summary summary(String nodeId, String newEpoch) {
		List<?> epoch = this.redis.execute(EPOCH, List.of(this.keys.chatEpoch()), newEpoch);
		List<?> node = this.redis.execute(NODE_SUMMARY,
				List.of(connectionsKey(nodeId), leavingKey(nodeId), fingerprintKey(nodeId)));
		if (epoch == null || epoch.size() < 2 || node == null || node.size() < 2) {
			throw new IllegalStateException("The directory's summary scripts answered " + epoch + " and " + node);
		}
		return new Summary(String.valueOf(epoch.get(0)), RedisScripts.number(epoch.get(1)) == 1,
				RedisScripts.number(node.get(0)), (int) RedisScripts.number(node.get(1)));
	}

	/**
	 * Writes the index, then the node's connections (taking out the memberships it does
	 * not hold, and those out of their rooms), then the rooms' members, then the node's
	 * memberships: the node's tag last, so that a repair that stops half-way leaves its
	 * fingerprint different, and is done again.
	 */
	@Override
	public Reassertion reassert(String nodeId, List<Held> connections, boolean recreateRooms, long joinedAtMillis) {
		Map<String, List<String>> joined = new LinkedHashMap<>();
		Map<String, List<String>> left = new LinkedHashMap<>();
		Map<String, List<String>> gone = new LinkedHashMap<>();
		if (connections.isEmpty()) {
			return new Reassertion(joined, left, gone);
		}
		Map<String, List<String>> buckets = byBucket(connections.stream().map(Held::connectionId).toList());
		buckets.forEach((bucket, ids) -> {
			Map<String, String> entries = new LinkedHashMap<>();
			ids.forEach((id) -> entries.put(id, nodeId));
			this.redis.opsForHash().putAll(bucket, entries);
		});
		reassertUsers(nodeId, connections);
		List<String> arguments = new ArrayList<>();
		Map<String, List<String>> heldByRoom = new TreeMap<>();
		Map<String, Map<String, String>> detailsByRoom = new HashMap<>();
		for (Held held : connections) {
			arguments.add(held.connectionId());
			arguments.add(Integer.toString(held.rooms().size()));
			arguments.addAll(held.rooms());
			held.rooms().forEach((room) -> add(heldByRoom, room, held.connectionId()));
			held.details()
				.forEach((room, details) -> detailsByRoom.computeIfAbsent(room, (key) -> new HashMap<>())
					.put(held.connectionId(), details));
		}
		List<?> notHeld = this.redis.execute(NODE_REASSERT, List.of(connectionsKey(nodeId), leavingKey(nodeId),
				fingerprintKey(nodeId), this.keys.chatNodeRoomsPrefix(nodeId)), arguments.toArray());
		Map<String, List<String>> notHeldByRoom = pairs(notHeld);
		notHeldByRoom
			.forEach((room, ids) -> removeMembers(room, nodeId, ids).forEach((id, node) -> add(left, room, id)));
		List<String> memberships = new ArrayList<>();
		heldByRoom.forEach((room, ids) -> {
			List<String> reply = RedisScripts.strings(reassertRoom(room, ids,
					detailsByRoom.getOrDefault(room, Map.of()), nodeId, recreateRooms, joinedAtMillis));
			boolean exists = !reply.isEmpty() && !"-1".equals(reply.get(0));
			if (exists && "1".equals(reply.get(0))) {
				this.redis.opsForSet().add(this.keys.chatRooms(), room);
			}
			if (exists) {
				reply.subList(1, reply.size()).forEach((id) -> add(joined, room, id));
			}
			for (String id : ids) {
				memberships.add(exists ? "+" : "-");
				memberships.add(id);
				memberships.add(room);
				if (!exists) {
					add(gone, room, id);
				}
			}
		});
		// Memberships of connections forgotten meanwhile: out of their rooms again.
		pairs(this.redis.execute(NODE_REASSERT_ROOMS,
				List.of(connectionsKey(nodeId), fingerprintKey(nodeId), this.keys.chatNodeRoomsPrefix(nodeId)),
				memberships.toArray()))
			.forEach((id, rooms) -> rooms.forEach((room) -> removeMembers(room, nodeId, List.of(id))));
		return new Reassertion(joined, left, gone);
	}

	private @Nullable List<?> reassertRoom(String room, List<String> connectionIds, Map<String, String> details,
			String nodeId, boolean recreateRooms, long joinedAtMillis) {
		List<String> arguments = new ArrayList<>(2 * connectionIds.size() + 3);
		arguments.add(recreateRooms ? "1" : "0");
		arguments.add(nodeId);
		arguments.add(Long.toString(joinedAtMillis));
		for (String id : connectionIds) {
			arguments.add(id);
			arguments.add(details.getOrDefault(id, ""));
		}
		return this.redis.execute(ROOM_REASSERT,
				List.of(this.keys.chatRoomState(room), membersKey(room), detailsKey(room)), arguments.toArray());
	}

	/** Visits the node's connections, then those it is still forgetting. */
	@Override
	public void connectionsOf(String nodeId, int batchSize, Consumer<List<String>> batches) {
		scan(connectionsKey(nodeId), batchSize, batches);
		scan(leavingKey(nodeId), batchSize, batches);
	}

	private void scan(String key, int batchSize, Consumer<List<String>> batches) {
		ScanOptions options = ScanOptions.scanOptions().count(batchSize).build();
		try (Cursor<String> cursor = this.redis.opsForSet().scan(key, options)) {
			Set<String> batch = new LinkedHashSet<>(batchSize);
			while (cursor.hasNext()) {
				batch.add(cursor.next());
				if (batch.size() == batchSize) {
					batches.accept(List.copyOf(batch));
					batch.clear();
				}
			}
			if (!batch.isEmpty()) {
				batches.accept(List.copyOf(batch));
			}
		}
	}

	@Override
	public void setFingerprint(String nodeId, int fingerprint) {
		this.redis.opsForValue().set(fingerprintKey(nodeId), Integer.toString(fingerprint));
	}

	private List<String> nodeKeys(String nodeId) {
		return List.of(connectionsKey(nodeId), leavingKey(nodeId), fingerprintKey(nodeId), usersKey(nodeId),
				this.keys.chatNodeRoomsPrefix(nodeId));
	}

	private String connectionsKey(String nodeId) {
		return this.keys.chatNodeConnections(nodeId);
	}

	private String leavingKey(String nodeId) {
		return this.keys.chatNodeLeaving(nodeId);
	}

	private String fingerprintKey(String nodeId) {
		return this.keys.chatNodeFingerprint(nodeId);
	}

	private String usersKey(String nodeId) {
		return this.keys.chatNodeUsers(nodeId);
	}

	private String membersKey(String room) {
		return this.keys.chatRoomMembers(room);
	}

	private String detailsKey(String room) {
		return this.keys.chatRoomDetails(room);
	}

	/** A flat reply of pairs, grouped by the first of each. */
	private static Map<String, List<String>> pairs(@Nullable List<?> reply) {
		Map<String, List<String>> byFirst = new LinkedHashMap<>();
		for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
			add(byFirst, String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)));
		}
		return byFirst;
	}

	private static void add(Map<String, List<String>> byKey, String key, String value) {
		byKey.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(value);
	}

	/**
	 * A connection that {@code node-forget.lua} marked as being forgotten.
	 *
	 * @param connectionId the connection
	 * @param state 2 if the node listed it, 1 if it was being forgotten, 0 if neither
	 * @param user its user, or empty
	 * @param rooms the rooms the node's tag has for it
	 */
	private record Claim(String connectionId, int state, String user, List<String> rooms) {
	}

}
