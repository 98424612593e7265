package dev.cohort.cache.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import dev.cohort.cache.CacheStore;
import dev.cohort.cache.CacheValueException;
import dev.cohort.cache.LockInfo;
import dev.cohort.cache.StoredEntry;
import org.jspecify.annotations.Nullable;

/**
 * The cache in this JVM's memory, for the local transport: the same operations as Redis,
 * each atomic because every one holds this store's monitor. Expired entries are dropped
 * when touched, and all of them every {@value #SWEEP_EVERY} writes.
 */
public class LocalCacheStore implements CacheStore {

	private static final int SWEEP_EVERY = 1024;

	/**
	 * A whole number as Redis's INCRBY reads one: no sign but a minus, no leading zero,
	 * no space ("05", "+5", "-0" and " 5" are not numbers to Redis, though they are to
	 * {@link Long#parseLong}).
	 */
	private static final Pattern REDIS_INTEGER = Pattern.compile("0|-?[1-9][0-9]*");

	private final Map<String, Entry> entries = new HashMap<>();

	private final Map<String, Lock> locks = new HashMap<>();

	private final Map<String, Long> fences = new HashMap<>();

	private final LongSupplier nanoTime;

	private int writes;

	public LocalCacheStore() {
		this(System::nanoTime);
	}

	LocalCacheStore(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	@Override
	public synchronized void set(String key, String value, @Nullable Duration ttl) {
		put(key, new Entry(value, null, deadline(ttl)));
	}

	@Override
	public synchronized boolean setIfAbsent(String key, String value, @Nullable Duration ttl) {
		if (live(key) != null) {
			return false;
		}
		put(key, new Entry(value, null, deadline(ttl)));
		return true;
	}

	@Override
	public synchronized @Nullable String get(String key) {
		Entry entry = live(key);
		return (entry != null) ? value(key, entry) : null;
	}

	@Override
	public synchronized Read read(String key, @Nullable Duration refreshTtl, boolean unlessLocked) {
		if (unlessLocked && liveLock(key) != null) {
			return Read.LOCKED;
		}
		Entry entry = live(key);
		if (entry == null) {
			return new Read(null, false);
		}
		String value = value(key, entry);
		if (refreshTtl != null) {
			entry.deadline = deadline(refreshTtl);
		}
		return new Read(value, false);
	}

	@Override
	public synchronized boolean compareAndSet(String key, @Nullable String expected, @Nullable String value) {
		Entry entry = live(key);
		String current = (entry != null) ? value(key, entry) : null;
		if (!Objects.equals(current, expected)) {
			return false;
		}
		if (value == null) {
			this.entries.remove(key);
		}
		else {
			put(key, new Entry(value, null, (entry != null) ? entry.deadline : Entry.NEVER));
		}
		return true;
	}

	@Override
	public synchronized boolean delete(String key) {
		return live(key) != null && this.entries.remove(key) != null;
	}

	@Override
	public synchronized boolean exists(String key) {
		return live(key) != null;
	}

	@Override
	public synchronized long ttlMillis(String key) {
		Entry entry = live(key);
		if (entry == null) {
			return MISSING;
		}
		return (entry.deadline == Entry.NEVER) ? PERSISTENT : remainingMillis(entry.deadline);
	}

	@Override
	public synchronized boolean expire(String key, @Nullable Duration ttl) {
		Entry entry = live(key);
		if (entry != null) {
			entry.deadline = deadline(ttl);
		}
		return entry != null;
	}

	@Override
	public synchronized long increment(String key, long delta) {
		Entry entry = live(key);
		long count = delta;
		if (entry != null) {
			String value = value(key, entry);
			try {
				if (!REDIS_INTEGER.matcher(value).matches()) {
					throw new NumberFormatException(value);
				}
				count = Math.addExact(Long.parseLong(value), delta);
			}
			catch (NumberFormatException | ArithmeticException ex) {
				throw new CacheValueException(key, "does not hold a whole number to count with", ex);
			}
		}
		put(key, new Entry(Long.toString(count), null, (entry != null) ? entry.deadline : Entry.NEVER));
		return count;
	}

	@Override
	public void scan(String pattern, Consumer<List<String>> keys) {
		GlobPattern matcher = GlobPattern.compile(pattern);
		List<String> matching;
		synchronized (this) {
			sweep();
			matching = this.entries.keySet().stream().filter(matcher::matches).toList();
		}
		// Outside the monitor, like Redis's SCAN: the consumer may call back into the
		// store.
		keys.accept(matching);
	}

	@Override
	public synchronized long deleteAll(List<String> keys) {
		return keys.stream().filter(this::delete).count();
	}

	@Override
	public synchronized long push(String key, String value) {
		ArrayDeque<String> list = listToWrite(key);
		list.addLast(value);
		notifyAll();
		return list.size();
	}

	@Override
	public synchronized void pushFirst(String key, String value) {
		listToWrite(key).addFirst(value);
		notifyAll();
	}

	/**
	 * The list a key holds, created if absent, as Redis creates one on a push.
	 */
	private ArrayDeque<String> listToWrite(String key) {
		Entry entry = live(key);
		if (entry == null) {
			entry = new Entry(null, new ArrayDeque<>(), Entry.NEVER);
			put(key, entry);
		}
		return list(key, entry);
	}

	@Override
	public synchronized @Nullable String pop(String key, @Nullable Duration timeout) {
		long deadline = this.nanoTime.getAsLong() + ((timeout != null) ? timeout.toNanos() : 0);
		while (true) {
			Entry entry = live(key);
			if (entry != null) {
				ArrayDeque<String> list = list(key, entry);
				String first = list.pollFirst();
				if (list.isEmpty()) {
					this.entries.remove(key);
				}
				return first;
			}
			long left = deadline - this.nanoTime.getAsLong();
			if (left <= 0) {
				return null;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	@Override
	public synchronized long length(String key) {
		Entry entry = live(key);
		return (entry != null) ? list(key, entry).size() : 0;
	}

	@Override
	public synchronized @Nullable Long tryLock(String name, String token, String nodeId, Duration ttl) {
		if (liveLock(name) != null) {
			return null;
		}
		long fence = this.fences.merge(name, 1L, Long::sum);
		this.locks.put(name, new Lock(token, nodeId, fence, deadline(ttl)));
		return fence;
	}

	@Override
	public synchronized boolean unlock(String name, String token) {
		Lock lock = liveLock(name);
		return lock != null && lock.token.equals(token) && this.locks.remove(name) != null;
	}

	@Override
	public synchronized boolean forceUnlock(String name) {
		// The fence stays in its own map: the next taking numbers higher.
		return liveLock(name) != null && this.locks.remove(name) != null;
	}

	@Override
	public synchronized boolean extend(String name, String token, Duration ttl) {
		Lock lock = liveLock(name);
		if (lock == null || !lock.token.equals(token)) {
			return false;
		}
		lock.deadline = deadline(ttl);
		return true;
	}

	@Override
	public synchronized boolean holds(String name, String token) {
		Lock lock = liveLock(name);
		return lock != null && lock.token.equals(token);
	}

	@Override
	public synchronized @Nullable LockInfo lock(String name) {
		Lock lock = liveLock(name);
		return (lock != null)
				? new LockInfo(name, lock.nodeId, lock.fence, Duration.ofMillis(remainingMillis(lock.deadline))) : null;
	}

	@Override
	public void scanLocks(Consumer<List<String>> names) {
		List<String> held;
		synchronized (this) {
			sweep();
			held = List.copyOf(this.locks.keySet());
		}
		names.accept(held);
	}

	@Override
	public synchronized @Nullable StoredEntry export(String key) {
		Entry entry = live(key);
		if (entry == null) {
			return null;
		}
		long ttl = (entry.deadline == Entry.NEVER) ? PERSISTENT : remainingMillis(entry.deadline);
		return (entry.list != null) ? new StoredEntry(key, true, new ArrayList<>(entry.list), ttl)
				: new StoredEntry(key, false, List.of(Objects.requireNonNull(entry.value)), ttl);
	}

	@Override
	public synchronized void replace(StoredEntry stored) {
		Duration ttl = (stored.ttlMillis() > 0) ? Duration.ofMillis(stored.ttlMillis()) : null;
		Entry entry = stored.list() ? new Entry(null, new ArrayDeque<>(stored.elements()), deadline(ttl))
				: new Entry(stored.elements().get(0), null, deadline(ttl));
		put(stored.key(), entry);
		notifyAll();
	}

	private void put(String key, Entry entry) {
		this.entries.put(key, entry);
		if (++this.writes % SWEEP_EVERY == 0) {
			sweep();
		}
	}

	private @Nullable Entry live(String key) {
		Entry entry = this.entries.get(key);
		if (entry != null && expired(entry.deadline)) {
			this.entries.remove(key);
			return null;
		}
		return entry;
	}

	private @Nullable Lock liveLock(String name) {
		Lock lock = this.locks.get(name);
		if (lock != null && expired(lock.deadline)) {
			this.locks.remove(name);
			return null;
		}
		return lock;
	}

	private void sweep() {
		for (Iterator<Entry> it = this.entries.values().iterator(); it.hasNext();) {
			if (expired(it.next().deadline)) {
				it.remove();
			}
		}
		this.locks.values().removeIf((lock) -> expired(lock.deadline));
	}

	private static String value(String key, Entry entry) {
		if (entry.value == null) {
			throw new CacheValueException(key, "does not hold a value");
		}
		return entry.value;
	}

	private static ArrayDeque<String> list(String key, Entry entry) {
		if (entry.list == null) {
			throw new CacheValueException(key, "does not hold a list");
		}
		return entry.list;
	}

	private long deadline(@Nullable Duration ttl) {
		return (ttl != null) ? this.nanoTime.getAsLong() + ttl.toNanos() : Entry.NEVER;
	}

	private boolean expired(long deadline) {
		return deadline != Entry.NEVER && deadline - this.nanoTime.getAsLong() <= 0;
	}

	private long remainingMillis(long deadline) {
		return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - this.nanoTime.getAsLong()));
	}

	private static final class Entry {

		static final long NEVER = Long.MIN_VALUE;

		final @Nullable String value;

		final @Nullable ArrayDeque<String> list;

		long deadline;

		Entry(@Nullable String value, @Nullable ArrayDeque<String> list, long deadline) {
			this.value = value;
			this.list = list;
			this.deadline = deadline;
		}

	}

	private static final class Lock {

		final String token;

		final String nodeId;

		final long fence;

		long deadline;

		Lock(String token, String nodeId, long fence, long deadline) {
			this.token = token;
			this.nodeId = nodeId;
			this.fence = fence;
			this.deadline = deadline;
		}

	}

}
