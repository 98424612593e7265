package dev.cohort.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * State shared by every node of the cluster: values with an optional time to live,
 * counters, lists and locks, all in this cluster's namespace. Values are stored as JSON,
 * written and read with the application's {@code JsonMapper}.
 * <p>
 * On Redis every operation touches a single key (or keys that share a hash tag, inside
 * one Lua script), so it works the same on a standalone server, behind Sentinel and on a
 * Redis Cluster. On the local transport the same operations work inside this JVM.
 * <p>
 * Data that does not map to the requested type raises {@link CacheValueException} naming
 * the key; Redis failures reach callers as Spring's {@code DataAccessException}.
 */
public interface ClusterCache {

	/**
	 * Saves a value that never expires.
	 * @param key the key
	 * @param value the value, written as JSON
	 */
	void save(String key, Object value);

	/**
	 * Saves a value that expires.
	 * @param key the key
	 * @param value the value, written as JSON
	 * @param ttl how long it lives
	 */
	void save(String key, Object value, Duration ttl);

	/**
	 * Saves a value unless the key already holds something.
	 * @param key the key
	 * @param value the value, written as JSON
	 * @param ttl how long it lives, or {@code null} for ever
	 * @return whether it was saved
	 */
	boolean saveIfAbsent(String key, Object value, @Nullable Duration ttl);

	/**
	 * Loads a value.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @return the value, or empty if the key is absent
	 */
	<T> Optional<T> load(String key, Class<T> type);

	/**
	 * Loads a value of a generic type such as {@code List<Order>}.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @return the value, or empty if the key is absent
	 */
	<T> Optional<T> load(String key, ParameterizedTypeReference<T> type);

	/**
	 * Loads a value, refreshing its time to live or waiting while it is locked.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @param options how to load
	 * @return the value, or empty if the key is absent
	 * @throws CacheLockedException if the key stayed locked longer than the options allow
	 */
	<T> Optional<T> load(String key, Class<T> type, LoadOptions options);

	/**
	 * Loads a value of a generic type, refreshing its time to live or waiting while it is
	 * locked.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @param options how to load
	 * @return the value, or empty if the key is absent
	 * @throws CacheLockedException if the key stayed locked longer than the options allow
	 */
	<T> Optional<T> load(String key, ParameterizedTypeReference<T> type, LoadOptions options);

	/**
	 * Deletes a value or list.
	 * @param key the key
	 * @return whether it existed
	 */
	boolean destroy(String key);

	/**
	 * Whether a value or list exists.
	 * @param key the key
	 * @return whether it exists
	 */
	boolean exists(String key);

	/**
	 * How long a value or list has left to live.
	 * @param key the key
	 * @return the remaining time, or empty if the key is absent or never expires (tell
	 * the two apart with {@link #exists})
	 */
	Optional<Duration> ttl(String key);

	/**
	 * Sets a new time to live on a value or list.
	 * @param key the key
	 * @param ttl the time to live
	 * @return whether the key exists
	 */
	boolean expire(String key, Duration ttl);

	/**
	 * Makes a value or list live for ever.
	 * @param key the key
	 * @return whether the key exists
	 */
	boolean persist(String key);

	/**
	 * The keys of every value and list.
	 * @return the keys, in no order
	 */
	default List<String> keys() {
		return keys("*");
	}

	/**
	 * The keys that match a pattern, found with {@code SCAN} (never {@code KEYS}) on
	 * every master.
	 * @param pattern a glob: {@code *}, {@code ?}, {@code [abc]}, {@code \} to escape
	 * @return the keys, in no order
	 * @throws IllegalArgumentException if the pattern ends with an unescaped {@code \} or
	 * leaves a {@code [} unclosed
	 */
	List<String> keys(String pattern);

	/**
	 * How many values and lists there are.
	 * @return the count
	 */
	long size();

	/**
	 * Deletes every value and list of this namespace, on every master. Locks are left:
	 * their holders still hold them.
	 * @return how many were deleted
	 */
	long clear();

	/**
	 * Adds one to a counter, which starts at zero. The counter can be loaded as a
	 * {@code Long}.
	 * @param key the key
	 * @return the new count
	 */
	default long increment(String key) {
		return increment(key, 1);
	}

	/**
	 * Adds to a counter, which starts at zero.
	 * @param key the key
	 * @param delta the amount, which may be negative
	 * @return the new count
	 */
	long increment(String key, long delta);

	/**
	 * Reads a value, computes a new one and writes it only if nobody wrote in between;
	 * otherwise reads again and recomputes, so that no concurrent write is lost. The time
	 * to live is kept. The function may run several times and should not have side
	 * effects.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @param update computes the new value from the current one ({@code null} when
	 * absent); returning {@code null} deletes the key
	 * @return the value written, or {@code null} if deleted
	 */
	<T> @Nullable T update(String key, Class<T> type, UnaryOperator<@Nullable T> update);

	/**
	 * Like {@link #update(String, Class, UnaryOperator)} for a generic type.
	 * @param <T> the value's type
	 * @param key the key
	 * @param type the value's type
	 * @param update computes the new value from the current one ({@code null} when
	 * absent); returning {@code null} deletes the key
	 * @return the value written, or {@code null} if deleted
	 */
	<T> @Nullable T update(String key, ParameterizedTypeReference<T> type, UnaryOperator<@Nullable T> update);

	/**
	 * Appends to a list, creating it if absent.
	 * @param list the list's key
	 * @param value the element, written as JSON
	 * @return the list's new length
	 */
	long push(String list, Object value);

	/**
	 * Takes the first element of a list.
	 * @param <T> the element's type
	 * @param list the list's key
	 * @param type the element's type
	 * @return the element, or empty if the list is empty or absent
	 * @throws CacheValueException if the element does not map to the type; it is put back
	 * at the head of the list first
	 */
	<T> Optional<T> pop(String list, Class<T> type);

	/**
	 * Takes the first element of a list, waiting for one if it is empty.
	 * @param <T> the element's type
	 * @param list the list's key
	 * @param type the element's type
	 * @param timeout the longest wait
	 * @return the element, or empty if none came in time
	 * @throws CacheValueException if the element does not map to the type; it is put back
	 * at the head of the list first
	 */
	<T> Optional<T> pop(String list, Class<T> type, Duration timeout);

	/**
	 * The length of a list.
	 * @param list the list's key
	 * @return its length, zero if absent
	 */
	long length(String list);

	/**
	 * Takes a lock if nobody holds it. The lock is this handle's alone: another thread,
	 * even on this node, cannot release it.
	 * @param name the lock's name
	 * @param ttl how long it lives unless extended or renewed
	 * @return the handle, or empty if the lock is held
	 */
	Optional<ClusterLock> tryLock(String name, Duration ttl);

	/**
	 * Takes a lock, waiting up to the given time for its holder to release it.
	 * @param name the lock's name
	 * @param ttl how long it lives unless extended or renewed
	 * @param maxWait the longest wait
	 * @return the handle, or empty if the lock was still held when the wait ran out
	 */
	Optional<ClusterLock> tryLock(String name, Duration ttl, Duration maxWait);

	/**
	 * Describes a lock.
	 * @param name the lock's name
	 * @return the lock, or empty if nobody holds it
	 */
	Optional<LockInfo> checkLock(String name);

	/**
	 * Releases a lock whoever holds it: for an operator freeing a lock whose holder is
	 * stuck. The holder's handle then finds it lost ({@link ClusterLock#isHeld()} is
	 * false, and renewal stops), and the next holder gets a larger fencing token, so a
	 * resource that checks fencing tokens refuses the old holder.
	 * @param name the lock's name
	 * @return whether it was held
	 */
	boolean releaseLock(String name);

	/**
	 * Every held lock.
	 * @return the locks, in no order
	 */
	List<LockInfo> locks();

	/**
	 * Writes every value and list of this namespace, with its time to live, as JSON
	 * lines. Locks are not written. Entries written while the dump runs may or may not be
	 * in it.
	 * @param out where to write; left open
	 * @return how many entries were written
	 * @throws IOException if writing fails
	 */
	long dump(OutputStream out) throws IOException;

	/**
	 * Reads a {@link #dump} back, replacing the keys it holds. Entries whose time to live
	 * ran out since the dump are skipped.
	 * @param in where to read; left open
	 * @return how many entries were restored
	 * @throws IOException if reading fails or the input is not a dump
	 */
	long restore(InputStream in) throws IOException;

}
