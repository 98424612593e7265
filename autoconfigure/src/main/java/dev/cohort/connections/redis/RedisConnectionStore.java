package dev.cohort.connections.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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
 * The directory in Redis. Every key shares the hash tag {@code {<namespace>:chat}}, so
 * that the scripts that touch a connection and its rooms together work on a Redis
 * Cluster; the price is that the directory lives on one shard.
 */
public class RedisConnectionStore implements ConnectionStore {

	private static final RedisScripts SCRIPTS = RedisScripts.in("dev/cohort/connections/redis", "common.lua");

	private static final RedisScript<Long> REGISTER = SCRIPTS.script("register.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> FORGET = SCRIPTS.script("forget.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> USER_CONNECTIONS = SCRIPTS.script("user-connections.lua", List.class);

	private static final RedisScript<Long> JOIN = SCRIPTS.script("join.lua", Long.class);

	private static final RedisScript<Long> LEAVE = SCRIPTS.script("leave.lua", Long.class);

	private static final RedisScript<Long> ADD_ROOM = SCRIPTS.script("add-room.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> DESTROY_ROOM = SCRIPTS.script("destroy-room.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> MEMBERS = SCRIPTS.script("members.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SUMMARY = SCRIPTS.script("summary.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> REASSERT = SCRIPTS.script("reassert.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOM_SIZES = SCRIPTS.script("room-sizes.lua", List.class);

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	public RedisConnectionStore(StringRedisTemplate redis, ClusterKeys keys) {
		this.redis = ClusterRetry.template(redis);
		this.keys = keys;
	}

	@Override
	public void register(String connectionId, String nodeId, @Nullable String user) {
		this.redis.execute(REGISTER,
				List.of(connectionsKey(), nodeKey(nodeId), fingerprintsKey(), this.keys.chatUsers(),
						(user != null) ? this.keys.chatUser(user) : this.keys.chatUsers()),
				connectionId, nodeId, (user != null) ? user : "");
	}

	@Override
	public Map<String, String> connectionsOfUser(String user) {
		List<?> reply = this.redis.execute(USER_CONNECTIONS, List.of(connectionsKey(), this.keys.chatUser(user)));
		Map<String, String> connections = new LinkedHashMap<>();
		for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
			connections.put(String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)));
		}
		return connections;
	}

	@Override
	public Forgotten forget(String nodeId, Collection<String> connectionIds) {
		List<String> arguments = new ArrayList<>(connectionIds.size() + 2);
		arguments.add(nodeId);
		arguments.add("0");
		arguments.addAll(connectionIds);
		return forgotten(this.redis.execute(FORGET, forgetKeys(nodeId), arguments.toArray()));
	}

	@Override
	public Optional<String> nodeOf(String connectionId) {
		Object node = this.redis.opsForHash().get(connectionsKey(), connectionId);
		return Optional.ofNullable(node).map(Object::toString);
	}

	@Override
	public Forgotten purgeNode(String nodeId, int limit) {
		return forgotten(this.redis.execute(FORGET, forgetKeys(nodeId), nodeId, Integer.toString(Math.max(1, limit))));
	}

	private List<String> forgetKeys(String nodeId) {
		return List.of(connectionsKey(), nodeKey(nodeId), fingerprintsKey(), this.keys.chatConnectionRoomsPrefix(),
				this.keys.chatRoomPrefix(), this.keys.chatUsers(), this.keys.chatUserPrefix());
	}

	private static Forgotten forgotten(@Nullable List<?> reply) {
		if (reply == null || reply.isEmpty()) {
			return new Forgotten(0, Map.of());
		}
		return new Forgotten((int) RedisScripts.number(reply.get(0)), pairs(reply.subList(1, reply.size())));
	}

	private static Map<String, List<String>> pairs(List<?> reply) {
		Map<String, List<String>> byRoom = new LinkedHashMap<>();
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			add(byRoom, String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)));
		}
		return byRoom;
	}

	private static void add(Map<String, List<String>> byRoom, String room, String connectionId) {
		byRoom.computeIfAbsent(room, (key) -> new ArrayList<>()).add(connectionId);
	}

	@Override
	public long connectionCount(String nodeId) {
		Long count = this.redis.opsForSet().size(nodeKey(nodeId));
		return (count != null) ? count : 0;
	}

	@Override
	public Map<String, Long> roomSizes() {
		List<?> reply = this.redis.execute(ROOM_SIZES, List.of(roomsKey(), this.keys.chatRoomPrefix()));
		Map<String, Long> sizes = new TreeMap<>();
		for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
			sizes.put(String.valueOf(reply.get(i)), RedisScripts.number(reply.get(i + 1)));
		}
		return sizes;
	}

	@Override
	public boolean addRoom(String room) {
		return addRoom(room, true);
	}

	@Override
	public boolean addRoom(String room, boolean presence) {
		Long added = this.redis.execute(ADD_ROOM, List.of(roomsKey(), quietRoomsKey()), room, presence ? "1" : "0");
		return added != null && added > 0;
	}

	@Override
	public boolean presence(String room) {
		return !Boolean.TRUE.equals(this.redis.opsForSet().isMember(quietRoomsKey(), room));
	}

	@Override
	public List<String> destroyRoom(String room) {
		List<?> reply = this.redis.execute(DESTROY_ROOM, List.of(roomsKey(), roomKey(room), connectionsKey(),
				fingerprintsKey(), this.keys.chatConnectionRoomsPrefix(), quietRoomsKey()), room);
		if (reply == null || reply.isEmpty() || RedisScripts.number(reply.get(0)) == 0) {
			return List.of();
		}
		return reply.subList(1, reply.size()).stream().map(String::valueOf).toList();
	}

	@Override
	public boolean roomExists(String room) {
		return Boolean.TRUE.equals(this.redis.opsForSet().isMember(roomsKey(), room));
	}

	@Override
	public List<String> rooms() {
		Set<String> rooms = this.redis.opsForSet().members(roomsKey());
		return (rooms != null) ? rooms.stream().sorted().toList() : List.of();
	}

	@Override
	public long roomCount() {
		Long count = this.redis.opsForSet().size(roomsKey());
		return (count != null) ? count : 0;
	}

	@Override
	public int join(String room, String connectionId, String nodeId, long joinedAtMillis) {
		Long joined = this.redis.execute(JOIN, List.of(roomsKey(), roomKey(room), connectionsKey(),
				connectionRoomsKey(connectionId), fingerprintsKey()), room, connectionId, nodeId,
				Long.toString(joinedAtMillis));
		return (joined != null) ? joined.intValue() : NO_SUCH_ROOM;
	}

	@Override
	public boolean leave(String room, String connectionId) {
		Long removed = this.redis.execute(LEAVE,
				List.of(roomKey(room), connectionRoomsKey(connectionId), connectionsKey(), fingerprintsKey()), room,
				connectionId);
		return removed != null && removed > 0;
	}

	@Override
	public @Nullable Map<String, Member> members(String room) {
		List<?> reply = this.redis.execute(MEMBERS,
				List.of(roomsKey(), roomKey(room), connectionsKey(), this.keys.chatUsers()), room);
		if (reply == null || reply.isEmpty() || RedisScripts.number(reply.get(0)) == 0) {
			return null;
		}
		Map<String, Member> members = new LinkedHashMap<>();
		for (int i = 1; i + 3 < reply.size(); i += 4) {
			String user = String.valueOf(reply.get(i + 3));
			members.put(String.valueOf(reply.get(i)), new Member(String.valueOf(reply.get(i + 2)),
					Long.parseLong(String.valueOf(reply.get(i + 1))), user.isEmpty() ? null : user));
		}
		return members;
	}

	@Override
	public Summary summary(String nodeId, String newEpoch) {
		List<?> reply = this.redis.execute(SUMMARY, List.of(this.keys.chatEpoch(), nodeKey(nodeId), fingerprintsKey()),
				nodeId, newEpoch);
		if (reply == null || reply.size() < 4) {
			throw new IllegalStateException("summary.lua answered " + reply);
		}
		return new Summary(String.valueOf(reply.get(0)), RedisScripts.number(reply.get(1)) == 1,
				RedisScripts.number(reply.get(2)), (int) RedisScripts.number(reply.get(3)));
	}

	@Override
	public Reassertion reassert(String nodeId, List<Held> connections, boolean recreateRooms, long joinedAtMillis) {
		List<String> arguments = new ArrayList<>();
		arguments.add(nodeId);
		arguments.add(recreateRooms ? "1" : "0");
		arguments.add(Long.toString(joinedAtMillis));
		for (Held held : connections) {
			arguments.add(held.connectionId());
			String user = held.user();
			arguments.add((user != null) ? user : "");
			arguments.add(Integer.toString(held.rooms().size()));
			arguments.addAll(held.rooms());
		}
		List<?> reply = this.redis.execute(REASSERT,
				List.of(connectionsKey(), nodeKey(nodeId), roomsKey(), fingerprintsKey(),
						this.keys.chatConnectionRoomsPrefix(), this.keys.chatRoomPrefix(), this.keys.chatUsers(),
						this.keys.chatUserPrefix()),
				arguments.toArray());
		Map<String, List<String>> joined = new LinkedHashMap<>();
		Map<String, List<String>> left = new LinkedHashMap<>();
		Map<String, List<String>> gone = new LinkedHashMap<>();
		for (int i = 0; reply != null && i + 2 < reply.size(); i += 3) {
			Map<String, List<String>> kind = switch (String.valueOf(reply.get(i))) {
				case "joined" -> joined;
				case "left" -> left;
				default -> gone;
			};
			add(kind, String.valueOf(reply.get(i + 1)), String.valueOf(reply.get(i + 2)));
		}
		return new Reassertion(joined, left, gone);
	}

	@Override
	public void connectionsOf(String nodeId, int batchSize, Consumer<List<String>> batches) {
		ScanOptions options = ScanOptions.scanOptions().count(batchSize).build();
		try (Cursor<String> cursor = this.redis.opsForSet().scan(nodeKey(nodeId), options)) {
			List<String> batch = new ArrayList<>(batchSize);
			while (cursor.hasNext()) {
				batch.add(cursor.next());
				if (batch.size() == batchSize) {
					batches.accept(List.copyOf(batch));
					batch.clear();
				}
			}
			if (!batch.isEmpty()) {
				batches.accept(batch);
			}
		}
	}

	@Override
	public void setFingerprint(String nodeId, int fingerprint) {
		this.redis.opsForHash().put(fingerprintsKey(), nodeId, Integer.toString(fingerprint));
	}

	private String connectionsKey() {
		return this.keys.chatConnections();
	}

	private String nodeKey(String nodeId) {
		return this.keys.chatNode(nodeId);
	}

	private String roomsKey() {
		return this.keys.chatRooms();
	}

	private String quietRoomsKey() {
		return this.keys.chatQuietRooms();
	}

	private String roomKey(String room) {
		return this.keys.chatRoom(room);
	}

	private String connectionRoomsKey(String connectionId) {
		return this.keys.chatConnectionRooms(connectionId);
	}

	private String fingerprintsKey() {
		return this.keys.chatFingerprints();
	}

}
