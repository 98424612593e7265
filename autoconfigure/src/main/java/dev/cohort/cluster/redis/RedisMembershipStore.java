package dev.cohort.cluster.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.internal.redis.RedisScripts;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Keeps the membership list in Redis: a sorted set of node ids scored by heartbeat
 * deadline, and a hash of registrations. Deadlines are set and compared by Lua scripts on
 * the Redis server's clock, so no node's clock decides who is alive.
 */
public class RedisMembershipStore implements MembershipStore {

	private static final RedisScripts SCRIPTS = RedisScripts.in("dev/cohort/cluster/redis");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HEARTBEAT = SCRIPTS.script("heartbeat.lua", List.class);

	private static final RedisScript<Long> LEAVE = SCRIPTS.script("leave.lua", Long.class);

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(RedisMembershipStore.class), 10_000);

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	private final JsonMapper json = JsonMapper.builder().build();

	public RedisMembershipStore(StringRedisTemplate redis, ClusterKeys keys) {
		this.redis = ClusterRetry.template(redis);
		this.keys = keys;
	}

	@Override
	public Heartbeat heartbeat(NodeInfo node, Duration timeout) {
		List<?> reply = RedisScripts
			.required(this.redis.execute(HEARTBEAT, List.of(this.keys.members(), this.keys.memberInfo()), node.id(),
					Long.toString(timeout.toMillis()), this.json.writeValueAsString(node), node.instance()));
		long status = RedisScripts.number(reply.get(0));
		long now = RedisScripts.number(reply.get(1));
		List<NodeInfo> members = new ArrayList<>();
		for (int i = 2; i + 1 < reply.size(); i += 2) {
			NodeInfo member = parse((String) reply.get(i), (String) reply.get(i + 1));
			if (member != null) {
				members.add(member);
			}
		}
		return new Heartbeat(statusOf(status), now, members);
	}

	/**
	 * Reads one registration. One that cannot be read (written by something other than
	 * Cohort) is skipped, so that it cannot stop every node's heartbeats.
	 */
	private @Nullable NodeInfo parse(String nodeId, String registration) {
		if (registration.isEmpty()) {
			return null;
		}
		try {
			return this.json.readValue(registration, NodeInfo.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			log.warn("unreadable", "Skipped the registration of node '" + nodeId + "' in " + this.keys.memberInfo()
					+ ": it is not a Cohort registration (" + ex.getMessage() + ")");
			return null;
		}
	}

	@Override
	public boolean isRegistered(String nodeId) {
		return this.redis.opsForZSet().score(this.keys.members(), nodeId) != null;
	}

	private static Status statusOf(long code) {
		if (code < 0) {
			return Status.ID_TAKEN;
		}
		return (code == 0) ? Status.REFRESHED : Status.JOINED;
	}

	@Override
	public void leave(NodeInfo node) {
		this.redis.execute(LEAVE, List.of(this.keys.members(), this.keys.memberInfo()), node.id(), node.instance());
	}

	@Override
	public Map<String, Long> deadlines() {
		Set<TypedTuple<String>> scored = this.redis.opsForZSet().rangeWithScores(this.keys.members(), 0, -1);
		Map<String, Long> deadlines = new LinkedHashMap<>();
		if (scored != null) {
			scored.forEach((tuple) -> {
				if (tuple.getValue() != null && tuple.getScore() != null) {
					deadlines.put(tuple.getValue(), tuple.getScore().longValue());
				}
			});
		}
		return deadlines;
	}

	@Override
	public long nextNodeNumber() {
		Long next = this.redis.opsForValue().increment(this.keys.nodeSequence());
		return (next != null) ? next : 1;
	}

	@Override
	public long time() {
		Long time = this.redis.execute((RedisCallback<Long>) RedisConnection::time);
		return (time != null) ? time : System.currentTimeMillis();
	}

}
