package dev.cohort.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import dev.cohort.cache.CacheLockedException;
import dev.cohort.cache.CacheStore;
import dev.cohort.cache.CacheValueException;
import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cache.LoadOptions;
import dev.cohort.cache.LockInfo;
import dev.cohort.cluster.ClusterClock;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * The {@link ClusterCache} of both transports: JSON mapping, waiting, retries and lock
 * handles are here, once; the {@link CacheStore} only keeps the data.
 */
public class DefaultClusterCache implements ClusterCache, AutoCloseable {

	private final CacheStore store;

	private final JsonMapper mapper;

	private final String nodeId;

	private final CacheDump dumps;

	private final ScheduledExecutorService renewals;

	/**
	 * Creates a cache.
	 * @param store where the data lives
	 * @param mapper maps values to and from JSON
	 * @param nodeId this node's id, shown as the holder of its locks
	 * @param clock the cluster's clock, to date the expiry of dumped entries
	 */
	public DefaultClusterCache(CacheStore store, JsonMapper mapper, String nodeId, ClusterClock clock) {
		this.store = store;
		this.mapper = mapper;
		this.nodeId = nodeId;
		this.dumps = new CacheDump(store, clock);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				daemonThreads("cohort-lock-renewal-"));
		executor.setRemoveOnCancelPolicy(true);
		this.renewals = executor;
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	@Override
	public void save(String key, Object value) {
		this.store.set(checkKey(key), write(key, value), null);
	}

	@Override
	public void save(String key, Object value, Duration ttl) {
		this.store.set(checkKey(key), write(key, value), checkTtl(ttl));
	}

	@Override
	public boolean saveIfAbsent(String key, Object value, @Nullable Duration ttl) {
		return this.store.setIfAbsent(checkKey(key), write(key, value), (ttl != null) ? checkTtl(ttl) : null);
	}

	@Override
	public <T> Optional<T> load(String key, Class<T> type) {
		return Optional.ofNullable(read(key, this.store.get(checkKey(key)), javaType(type)));
	}

	@Override
	public <T> Optional<T> load(String key, ParameterizedTypeReference<T> type) {
		return Optional.ofNullable(read(key, this.store.get(checkKey(key)), javaType(type)));
	}

	@Override
	public <T> Optional<T> load(String key, Class<T> type, LoadOptions options) {
		return Optional.ofNullable(read(key, readWithOptions(checkKey(key), options), javaType(type)));
	}

	@Override
	public <T> Optional<T> load(String key, ParameterizedTypeReference<T> type, LoadOptions options) {
		return Optional.ofNullable(read(key, readWithOptions(checkKey(key), options), javaType(type)));
	}

	private @Nullable String readWithOptions(String key, LoadOptions options) {
		Duration maxWait = options.getWaitWhileLocked();
		Backoff backoff = new Backoff(maxWait);
		while (true) {
			CacheStore.Read read = this.store.read(key, options.getRefreshTtl(), maxWait != null);
			if (!read.locked()) {
				return read.value();
			}
			if (!backoff.pause()) {
				// The back-off gives up only with a wait to give up on: maxWait is set
				// here.
				throw new CacheLockedException(key, (maxWait != null) ? maxWait : Duration.ZERO);
			}
		}
	}

	@Override
	public boolean destroy(String key) {
		return this.store.delete(checkKey(key));
	}

	@Override
	public boolean exists(String key) {
		return this.store.exists(checkKey(key));
	}

	@Override
	public Optional<Duration> ttl(String key) {
		long millis = this.store.ttlMillis(checkKey(key));
		return (millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return this.store.expire(checkKey(key), checkTtl(ttl));
	}

	@Override
	public boolean persist(String key) {
		return this.store.expire(checkKey(key), null);
	}

	@Override
	public List<String> keys(String pattern) {
		checkPattern(pattern);
		List<String> keys = new ArrayList<>();
		this.store.scan(pattern, keys::addAll);
		return keys;
	}

	@Override
	public long size() {
		AtomicLong count = new AtomicLong();
		this.store.scan("*", (batch) -> count.addAndGet(batch.size()));
		return count.get();
	}

	@Override
	public long clear() {
		AtomicLong deleted = new AtomicLong();
		this.store.scan("*", (batch) -> deleted.addAndGet(this.store.deleteAll(batch)));
		return deleted.get();
	}

	@Override
	public long increment(String key, long delta) {
		return this.store.increment(checkKey(key), delta);
	}

	@Override
	public <T> @Nullable T update(String key, Class<T> type, UnaryOperator<@Nullable T> update) {
		return update(checkKey(key), javaType(type), update);
	}

	@Override
	public <T> @Nullable T update(String key, ParameterizedTypeReference<T> type, UnaryOperator<@Nullable T> update) {
		return update(checkKey(key), javaType(type), update);
	}

	private <T> @Nullable T update(String key, JavaType type, UnaryOperator<@Nullable T> update) {
		Backoff backoff = new Backoff(null);
		while (true) {
			String current = this.store.get(key);
			T next = update.apply(read(key, current, type));
			String written = (next != null) ? write(key, next) : null;
			if (this.store.compareAndSet(key, current, written)) {
				return next;
			}
			backoff.pause();
		}
	}

	@Override
	public long push(String list, Object value) {
		return this.store.push(checkKey(list), write(list, value));
	}

	@Override
	public <T> Optional<T> pop(String list, Class<T> type) {
		return Optional.ofNullable(readPopped(list, this.store.pop(checkKey(list), null), javaType(type)));
	}

	@Override
	public <T> Optional<T> pop(String list, Class<T> type, Duration timeout) {
		Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, "'timeout' must be positive");
		return Optional.ofNullable(readPopped(list, this.store.pop(checkKey(list), timeout), javaType(type)));
	}

	/**
	 * Maps a popped element. One that does not map is put back at the head of the list
	 * before the error is raised: taking it from the list must not lose it.
	 */
	private <T> @Nullable T readPopped(String list, @Nullable String element, JavaType type) {
		if (element == null) {
			return null;
		}
		try {
			return this.mapper.readValue(element, type);
		}
		catch (JacksonException ex) {
			String doesNotMap = "holds an element that does not map to " + type.toCanonical();
			try {
				this.store.pushFirst(list, element);
			}
			catch (RuntimeException putBackFailed) {
				CacheValueException lost = new CacheValueException(list, doesNotMap
						+ "; it was taken and could not be put back, so it is lost: " + ex.getOriginalMessage(), ex);
				lost.addSuppressed(putBackFailed);
				throw lost;
			}
			throw new CacheValueException(list,
					doesNotMap + "; it was put back at the head of the list: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public long length(String list) {
		return this.store.length(checkKey(list));
	}

	@Override
	public Optional<ClusterLock> tryLock(String name, Duration ttl) {
		String token = UUID.randomUUID().toString();
		Long fencingToken = this.store.tryLock(checkKey(name), token, this.nodeId, checkTtl(ttl));
		return (fencingToken != null)
				? Optional.of(new ClusterLock(this.store, name, token, fencingToken, ttl, this.renewals))
				: Optional.empty();
	}

	@Override
	public Optional<ClusterLock> tryLock(String name, Duration ttl, Duration maxWait) {
		Assert.isTrue(!maxWait.isNegative(), "'maxWait' must not be negative");
		Backoff backoff = new Backoff(maxWait);
		while (true) {
			Optional<ClusterLock> lock = tryLock(name, ttl);
			if (lock.isPresent() || !backoff.pause()) {
				return lock;
			}
		}
	}

	@Override
	public Optional<LockInfo> checkLock(String name) {
		return Optional.ofNullable(this.store.lock(checkKey(name)));
	}

	@Override
	public boolean releaseLock(String name) {
		return this.store.forceUnlock(checkKey(name));
	}

	@Override
	public List<LockInfo> locks() {
		List<LockInfo> locks = new ArrayList<>();
		this.store.scanLocks((names) -> names.stream().map(this.store::lock).forEach((lock) -> {
			if (lock != null) {
				locks.add(lock);
			}
		}));
		return locks;
	}

	@Override
	public long dump(OutputStream out) throws IOException {
		return this.dumps.write(out);
	}

	@Override
	public long restore(InputStream in) throws IOException {
		return this.dumps.read(in);
	}

	@Override
	public void close() {
		this.renewals.shutdownNow();
	}

	private String write(String key, Object value) {
		Assert.notNull(value, "'value' must not be null");
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new CacheValueException(key,
					"cannot write a " + value.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private <T> @Nullable T read(String key, @Nullable String json, JavaType type) {
		if (json == null) {
			return null;
		}
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JacksonException ex) {
			throw new CacheValueException(key,
					"holds data that does not map to " + type.toCanonical() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private JavaType javaType(Class<?> type) {
		Assert.notNull(type, "'type' must not be null");
		return this.mapper.constructType(type);
	}

	private JavaType javaType(ParameterizedTypeReference<?> type) {
		Assert.notNull(type, "'type' must not be null");
		return this.mapper.constructType(type.getType());
	}

	static String checkKey(String key) {
		Assert.hasText(key, "'key' must not be empty");
		// The key is its entry's hash tag; one that starts with '}' would make the tag
		// empty, and the key, its lock and fencing counter would hash to different slots.
		Assert.isTrue(key.charAt(0) != '}', () -> "Cache key '" + key + "' must not start with '}'");
		return key;
	}

	/**
	 * Refuses a glob that would not end where it is written. On Redis the pattern is
	 * matched inside its key's hash tag, {@code {<namespace>:cache:<pattern>}}, so a
	 * trailing unescaped {@code \} would escape the closing brace, and a {@code [} never
	 * closed would take it into its class: the two transports would then match different
	 * keys.
	 */
	static void checkPattern(String pattern) {
		Assert.hasText(pattern, "'pattern' must not be empty");
		boolean inClass = false;
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '\\') {
				Assert.isTrue(i + 1 < pattern.length(), () -> "Pattern '" + pattern
						+ "' must not end with an unescaped '\\' (write '\\\\' for a backslash)");
				i++;
			}
			else if (!inClass && c == '[') {
				inClass = true;
				if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '^') {
					i++;
				}
			}
			else if (inClass && c == ']') {
				inClass = false;
			}
		}
		Assert.isTrue(!inClass, () -> "Pattern '" + pattern + "' leaves a '[' unclosed (write '\\[' for a bracket)");
	}

	private static Duration checkTtl(Duration ttl) {
		Assert.isTrue(ttl != null && ttl.toMillis() > 0, "'ttl' must be at least one millisecond");
		return ttl;
	}

}
