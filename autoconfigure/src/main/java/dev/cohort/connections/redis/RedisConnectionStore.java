package dev.cohort.connections.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.ConnectionStore;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The directory in Redis. Every key shares the hash tag {@code {<namespace>:chat}}, so
 * that the scripts that touch a connection and its rooms together work on a Redis
 * Cluster; the price is that the directory lives on one shard.
 */
public class RedisConnectionStore implements ConnectionStore {

	private static final RedisScript<Long> REGISTER = script("register.lua", Long.class);

	private static final RedisScript<Long> UNREGISTER = script("unregister.lua", Long.class);

	private static final RedisScript<List> PURGE_NODE = script("purge-node.lua", List.class);

	private static final RedisScript<Long> JOIN = script("join.lua", Long.class);

	private static final RedisScript<List> DESTROY_ROOM = script("destroy-room.lua", List.class);

	private static final RedisScript<List> MEMBERS = script("members.lua", List.class);

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	public RedisConnectionStore(StringRedisTemplate redis, ClusterKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		return RedisScript.of(new ClassPathResource("dev/cohort/connections/redis/" + name), type);
	}

	@Override
	public void register(String connectionId, String nodeId) {
		this.redis.execute(REGISTER, List.of(this.keys.chat("connections"), this.keys.chat("node:" + nodeId)),
				connectionId, nodeId);
	}

	@Override
	public void unregister(String connectionId, String nodeId, List<String> rooms) {
		List<String> arguments = new ArrayList<>(rooms.size() + 2);
		arguments.add(connectionId);
		arguments.add(this.keys.chat("room:"));
		arguments.addAll(rooms);
		this.redis.execute(UNREGISTER, List.of(this.keys.chat("connections"), this.keys.chat("node:" + nodeId)),
				arguments.toArray());
	}

	@Override
	public Optional<String> nodeOf(String connectionId) {
		Object node = this.redis.opsForHash().get(this.keys.chat("connections"), connectionId);
		return Optional.ofNullable(node).map(Object::toString);
	}

	@Override
	public Map<String, List<String>> purgeNode(String nodeId) {
		List<?> removed = this.redis.execute(PURGE_NODE,
				List.of(this.keys.chat("connections"), this.keys.chat("node:" + nodeId), this.keys.chat("rooms")),
				this.keys.chat("room:"));
		Map<String, List<String>> byRoom = new LinkedHashMap<>();
		for (int i = 0; removed != null && i + 1 < removed.size(); i += 2) {
			byRoom.computeIfAbsent(String.valueOf(removed.get(i)), (room) -> new ArrayList<>())
				.add(String.valueOf(removed.get(i + 1)));
		}
		return byRoom;
	}

	@Override
	public boolean addRoom(String room) {
		Long added = this.redis.opsForSet().add(this.keys.chat("rooms"), room);
		return added != null && added > 0;
	}

	@Override
	public List<String> destroyRoom(String room) {
		List<?> reply = this.redis.execute(DESTROY_ROOM, List.of(this.keys.chat("rooms"), roomKey(room)), room);
		if (reply == null || reply.isEmpty() || number(reply.get(0)) == 0) {
			return List.of();
		}
		return reply.subList(1, reply.size()).stream().map(String::valueOf).toList();
	}

	@Override
	public boolean roomExists(String room) {
		return Boolean.TRUE.equals(this.redis.opsForSet().isMember(this.keys.chat("rooms"), room));
	}

	@Override
	public List<String> rooms() {
		Set<String> rooms = this.redis.opsForSet().members(this.keys.chat("rooms"));
		return (rooms != null) ? rooms.stream().sorted().toList() : List.of();
	}

	@Override
	public int join(String room, String connectionId, long joinedAtMillis) {
		Long joined = this.redis.execute(JOIN, List.of(this.keys.chat("rooms"), roomKey(room)), room, connectionId,
				Long.toString(joinedAtMillis));
		return (joined != null) ? joined.intValue() : -1;
	}

	@Override
	public boolean leave(String room, String connectionId) {
		Long removed = this.redis.opsForHash().delete(roomKey(room), connectionId);
		return removed != null && removed > 0;
	}

	@Override
	public @Nullable Map<String, Member> members(String room) {
		List<?> reply = this.redis.execute(MEMBERS,
				List.of(this.keys.chat("rooms"), roomKey(room), this.keys.chat("connections")), room);
		if (reply == null || reply.isEmpty() || number(reply.get(0)) == 0) {
			return null;
		}
		Map<String, Member> members = new LinkedHashMap<>();
		for (int i = 1; i + 2 < reply.size(); i += 3) {
			members.put(String.valueOf(reply.get(i)),
					new Member(String.valueOf(reply.get(i + 2)), Long.parseLong(String.valueOf(reply.get(i + 1)))));
		}
		return members;
	}

	private String roomKey(String room) {
		return this.keys.chat("room:" + room);
	}

	private static long number(Object reply) {
		return (reply instanceof Number number) ? number.longValue() : Long.parseLong(reply.toString());
	}

}
