package dev.cohort.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.cohort.cache.CacheStore;
import dev.cohort.cache.CacheValueException;
import dev.cohort.cache.LockInfo;
import dev.cohort.cache.StoredEntry;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.NotReplicatedException;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.internal.redis.BlockingRedisPool;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.internal.redis.RedisKeyScanner;
import dev.cohort.internal.redis.RedisScripts;
import dev.cohort.internal.redis.ReplicaWait;
import dev.cohort.internal.redis.ReplicaWait.Replicated;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The cache in Redis. Each value or list is one key, {@code <namespace>:cache:{<key>}},
 * whose hash tag is the user's key so that the key's lock and fencing counter share its
 * slot; every operation is one command or one Lua script on one slot, so it runs the same
 * on a Redis Cluster. Listing scans every master. Blocking pops wait on a few pooled
 * connections of their own, closed when the application stops.
 */
public class RedisCacheStore implements CacheStore, SmartLifecycle, AutoCloseable {

	/**
	 * Stops just before the Redis connection factory (phase 0), so that the pooled
	 * connections of blocking pops are closed while their client is still open.
	 */
	static final int PHASE = 1;

	/** The most connections that blocking pops hold at once, unless configured. */
	public static final int DEFAULT_POP_CONNECTIONS = 8;

	private static final RedisScripts SCRIPTS = RedisScripts.in("dev/cohort/cache/redis");

	private static final RedisScript<List> READ = SCRIPTS.script("read.lua", List.class);

	private static final RedisScript<Long> COMPARE_AND_SET = SCRIPTS.script("compare-and-set.lua", Long.class);

	private static final RedisScript<Long> LOCK = SCRIPTS.script("lock.lua", Long.class);

	private static final RedisScript<Long> UNLOCK = SCRIPTS.script("unlock.lua", Long.class);

	private static final RedisScript<Long> EXTEND = SCRIPTS.script("extend.lua", Long.class);

	private static final RedisScript<List> LOCK_INFO = SCRIPTS.script("lock-info.lua", List.class);

	private static final RedisScript<List> EXPORT = SCRIPTS.script("export.lua", List.class);

	private static final RedisScript<Long> REPLACE = SCRIPTS.script("replace.lua", Long.class);

	private static final Duration MIN_BLOCKING_WAIT = Duration.ofMillis(1);

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	private final BlockingRedisPool blocking;

	/**
	 * Lock takings and renewals that wait for replicas, or {@code null} if none do.
	 */
	private final @Nullable ReplicaWait durable;

	private volatile boolean running;

	/**
	 * Creates a store whose blocking pops share at most {@value #DEFAULT_POP_CONNECTIONS}
	 * connections.
	 * @param redis runs every other command
	 * @param keys the namespace's keys
	 * @param blocking opens the connections of blocking pops
	 */
	public RedisCacheStore(StringRedisTemplate redis, ClusterKeys keys, BlockingRedis blocking) {
		this(redis, keys, new BlockingRedisPool(blocking, DEFAULT_POP_CONNECTIONS));
	}

	/**
	 * Creates a store.
	 * @param redis runs every other command
	 * @param keys the namespace's keys
	 * @param blocking the connections that blocking pops wait on, closed with this store
	 */
	public RedisCacheStore(StringRedisTemplate redis, ClusterKeys keys, BlockingRedisPool blocking) {
		this(redis, keys, blocking, null);
	}

	/**
	 * Creates a store whose lock takings and renewals may wait for replicas.
	 * @param redis runs every other command
	 * @param keys the namespace's keys
	 * @param blocking the connections that blocking pops wait on, closed with this store
	 * @param durable waits for replicas after each taking and renewal of a lock, or
	 * {@code null} for no wait; its connections closed with this store
	 */
	public RedisCacheStore(StringRedisTemplate redis, ClusterKeys keys, BlockingRedisPool blocking,
			@Nullable ReplicaWait durable) {
		this.redis = ClusterRetry.template(redis);
		this.blocking = blocking;
		this.keys = keys;
		this.durable = durable;
	}

	@Override
	public void set(String key, String value, @Nullable Duration ttl) {
		if (ttl != null) {
			this.redis.opsForValue().set(entry(key), value, ttl);
		}
		else {
			this.redis.opsForValue().set(entry(key), value);
		}
	}

	@Override
	public boolean setIfAbsent(String key, String value, @Nullable Duration ttl) {
		Boolean set = (ttl != null) ? this.redis.opsForValue().setIfAbsent(entry(key), value, ttl)
				: this.redis.opsForValue().setIfAbsent(entry(key), value);
		return Boolean.TRUE.equals(set);
	}

	@Override
	public @Nullable String get(String key) {
		return onValue(key, () -> this.redis.opsForValue().get(entry(key)));
	}

	@Override
	public Read read(String key, @Nullable Duration refreshTtl, boolean unlessLocked) {
		List<?> reply = RedisScripts
			.required(onValue(key, () -> this.redis.execute(READ, List.of(entry(key), this.keys.cacheLock(key)),
					(refreshTtl != null) ? Long.toString(refreshTtl.toMillis()) : "0", unlessLocked ? "1" : "0")));
		if (RedisScripts.number(reply.get(0)) == 1) {
			return Read.LOCKED;
		}
		return new Read((reply.size() > 1) ? (String) reply.get(1) : null, false);
	}

	@Override
	public boolean compareAndSet(String key, @Nullable String expected, @Nullable String value) {
		Long replaced = onValue(key,
				() -> this.redis.execute(COMPARE_AND_SET, List.of(entry(key)), (expected != null) ? "1" : "0",
						(expected != null) ? expected : "", (value != null) ? "1" : "0", (value != null) ? value : ""));
		return RedisScripts.isOne(replaced);
	}

	@Override
	public boolean delete(String key) {
		return Boolean.TRUE.equals(this.redis.unlink(entry(key)));
	}

	@Override
	public boolean exists(String key) {
		return Boolean.TRUE.equals(this.redis.hasKey(entry(key)));
	}

	@Override
	public long ttlMillis(String key) {
		Long ttl = this.redis.getExpire(entry(key), TimeUnit.MILLISECONDS);
		return (ttl != null) ? ttl : MISSING;
	}

	@Override
	public boolean expire(String key, @Nullable Duration ttl) {
		String entry = entry(key);
		if (ttl != null) {
			return Boolean.TRUE.equals(this.redis.expire(entry, ttl));
		}
		// PERSIST answers false for a key that exists without a time to live.
		return Boolean.TRUE.equals(this.redis.persist(entry)) || Boolean.TRUE.equals(this.redis.hasKey(entry));
	}

	@Override
	public long increment(String key, long delta) {
		Long count = onValue(key, () -> this.redis.opsForValue().increment(entry(key), delta));
		return count;
	}

	@Override
	public void scan(String pattern, Consumer<List<String>> keys) {
		scanKeys(this.keys.cacheEntry(pattern),
				(batch) -> keys.accept(batch.stream().map(this.keys::cacheKeyOfEntry).toList()));
	}

	@Override
	public long deleteAll(List<String> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		Long deleted = this.redis.delete(keys.stream().map(this::entry).toList());
		return (deleted != null) ? deleted : 0;
	}

	@Override
	public long push(String key, String value) {
		Long length = onList(key, () -> this.redis.opsForList().rightPush(entry(key), value));
		return length;
	}

	@Override
	public void pushFirst(String key, String value) {
		onList(key, () -> this.redis.opsForList().leftPush(entry(key), value));
	}

	@Override
	public @Nullable String pop(String key, @Nullable Duration timeout) {
		if (timeout == null) {
			return onList(key, () -> this.redis.opsForList().leftPop(entry(key)));
		}
		// A pooled connection of its own: waiting on the shared one would hold up every
		// command.
		long deadline = System.nanoTime() + timeout.toNanos();
		BlockingRedis.Connection connection;
		try {
			connection = this.blocking.borrow(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		if (connection == null) {
			// Every pooled connection was waiting all along: one last look, without
			// waiting.
			return pop(key, null);
		}
		try (connection) {
			// At least a millisecond: BLPOP with no timeout would wait for ever.
			Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), MIN_BLOCKING_WAIT.toNanos()));
			return onList(key, () -> connection.leftPop(left, entry(key)));
		}
	}

	@Override
	public long length(String key) {
		Long length = onList(key, () -> this.redis.opsForList().size(entry(key)));
		return (length != null) ? length : 0;
	}

	@Override
	public @Nullable Long tryLock(String name, String token, String nodeId, Duration ttl) {
		List<String> keys = List.of(this.keys.cacheLock(name), this.keys.cacheFence(name));
		List<String> arguments = List.of(token, nodeId, Long.toString(ttl.toMillis()));
		ReplicaWait durable = this.durable;
		if (durable == null) {
			return this.redis.execute(LOCK, keys, arguments.toArray());
		}
		Replicated<Long> taken = durable.runNow(LOCK, keys, arguments);
		try {
			return durable.required(taken, "lock", "lock " + name + " (fencing token " + taken.reply() + ")");
		}
		catch (NotReplicatedException ex) {
			// Not handed out: nobody is stuck behind a lock that its taker was told it
			// did not get. Its fencing token stays used on the master.
			if (taken.reply() != null) {
				try {
					unlock(name, token);
				}
				catch (RuntimeException failed) {
					ex.addSuppressed(failed);
				}
			}
			throw ex;
		}
	}

	@Override
	public boolean unlock(String name, String token) {
		return RedisScripts.isOne(this.redis.execute(UNLOCK, List.of(this.keys.cacheLock(name)), token));
	}

	@Override
	public boolean forceUnlock(String name) {
		// The fencing counter is another key, which stays: the next taking numbers
		// higher.
		return Boolean.TRUE.equals(this.redis.delete(this.keys.cacheLock(name)));
	}

	@Override
	public boolean extend(String name, String token, Duration ttl) {
		List<String> keys = List.of(this.keys.cacheLock(name));
		List<String> arguments = List.of(token, Long.toString(ttl.toMillis()));
		if (this.durable != null) {
			return RedisScripts.isOne(this.durable.logged(this.durable.runNow(EXTEND, keys, arguments), "lock-extend",
					"the renewal of lock " + name));
		}
		return RedisScripts.isOne(this.redis.execute(EXTEND, keys, arguments.toArray()));
	}

	@Override
	public boolean holds(String name, String token) {
		return token.equals(this.redis.<String, String>opsForHash().get(this.keys.cacheLock(name), "token"));
	}

	@Override
	public @Nullable LockInfo lock(String name) {
		List<?> held = this.redis.execute(LOCK_INFO, List.of(this.keys.cacheLock(name)));
		if (held == null || held.isEmpty()) {
			return null;
		}
		return new LockInfo(name, (String) held.get(0), RedisScripts.number(held.get(1)),
				Duration.ofMillis(Math.max(0, RedisScripts.number(held.get(2)))));
	}

	@Override
	public void scanLocks(Consumer<List<String>> names) {
		scanKeys(this.keys.cacheLock("*"),
				(batch) -> names.accept(batch.stream().map(this.keys::cacheLockName).toList()));
	}

	@Override
	public @Nullable StoredEntry export(String key) {
		List<?> reply = this.redis.execute(EXPORT, List.of(entry(key)));
		if (reply == null || reply.isEmpty()) {
			return null;
		}
		List<String> elements = new ArrayList<>(reply.size() - 2);
		for (int i = 2; i < reply.size(); i++) {
			elements.add((String) reply.get(i));
		}
		return new StoredEntry(key, "list".equals(reply.get(0)), elements, RedisScripts.number(reply.get(1)));
	}

	@Override
	public void replace(StoredEntry entry) {
		List<String> arguments = new ArrayList<>(entry.elements().size() + 2);
		arguments.add(entry.list() ? "list" : "value");
		arguments.add(Long.toString(entry.ttlMillis()));
		arguments.addAll(entry.elements());
		this.redis.execute(REPLACE, List.of(entry(entry.key())), arguments.toArray());
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Closes the connections of blocking pops when the application stops; a pop waiting
	 * on one ends with an error.
	 */
	@Override
	public void stop() {
		this.running = false;
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Closes the connections of blocking pops; a pop waiting on one ends with an error. A
	 * later pop opens a new one.
	 */
	@Override
	public void close() {
		this.blocking.close();
		if (this.durable != null) {
			this.durable.close();
		}
	}

	private void scanKeys(String pattern, Consumer<List<String>> batches) {
		RedisKeyScanner.scan(this.redis, pattern, batches);
	}

	private String entry(String key) {
		return this.keys.cacheEntry(key);
	}

	private static <T> T onValue(String key, Supplier<T> command) {
		return translated(key, "a value", command);
	}

	private static <T> T onList(String key, Supplier<T> command) {
		return translated(key, "a list", command);
	}

	/**
	 * Runs a command, turning Redis's refusal of a key of the wrong type into an error
	 * that names the key. Spring Data and Lettuce report it with different exceptions, so
	 * the message is what tells.
	 */
	private static <T> T translated(String key, String expected, Supplier<T> command) {
		try {
			return command.get();
		}
		catch (RuntimeException ex) {
			String message = String.valueOf(NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
			if (message.contains("WRONGTYPE")) {
				throw new CacheValueException(key, "does not hold " + expected, ex);
			}
			if (message.contains("not an integer")) {
				throw new CacheValueException(key, "does not hold a whole number to count with", ex);
			}
			throw ex;
		}
	}

}
