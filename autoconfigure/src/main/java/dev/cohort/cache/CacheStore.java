package dev.cohort.cache;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where the cluster cache keeps its data: Redis, or this JVM's memory. Keys are the
 * user's keys; the store decides how they are laid out. Values and list elements are JSON
 * text, already mapped by Cohort's {@code DefaultClusterCache}, which holds all the logic
 * a store does not need to know. Every method is atomic on its own.
 */
public interface CacheStore {

	/** Remaining time to live of a key that exists and never expires. */
	long PERSISTENT = -1;

	/** Remaining time to live of a key that does not exist. */
	long MISSING = -2;

	/**
	 * Sets a value.
	 * @param key the key
	 * @param value the value
	 * @param ttl how long it lives, or {@code null} for ever
	 */
	void set(String key, String value, @Nullable Duration ttl);

	/**
	 * Sets a value unless the key exists.
	 * @param key the key
	 * @param value the value
	 * @param ttl how long it lives, or {@code null} for ever
	 * @return whether it was set
	 */
	boolean setIfAbsent(String key, String value, @Nullable Duration ttl);

	/**
	 * Reads a value.
	 * @param key the key
	 * @return the value, or {@code null} if absent
	 * @throws CacheValueException if the key holds a list
	 */
	@Nullable String get(String key);

	/**
	 * Reads a value, optionally refreshing its time to live and refusing while a lock of
	 * the same name is held, in one step.
	 * @param key the key
	 * @param refreshTtl the new time to live, or {@code null} to leave it
	 * @param unlessLocked whether to refuse to read while the key's lock is held
	 * @return the outcome
	 * @throws CacheValueException if the key holds a list
	 */
	Read read(String key, @Nullable Duration refreshTtl, boolean unlessLocked);

	/**
	 * Replaces a value only if it is still the one given, keeping its time to live.
	 * @param key the key
	 * @param expected the value read before, or {@code null} if it was absent
	 * @param value the new value, or {@code null} to delete the key
	 * @return whether the value was replaced
	 */
	boolean compareAndSet(String key, @Nullable String expected, @Nullable String value);

	/**
	 * Deletes a value or list.
	 * @param key the key
	 * @return whether it existed
	 */
	boolean delete(String key);

	/**
	 * Whether a value or list exists.
	 * @param key the key
	 * @return whether it exists
	 */
	boolean exists(String key);

	/**
	 * The remaining time to live of a value or list.
	 * @param key the key
	 * @return milliseconds, {@link #PERSISTENT} or {@link #MISSING}
	 */
	long ttlMillis(String key);

	/**
	 * Sets or removes the time to live of a value or list.
	 * @param key the key
	 * @param ttl the new time to live, or {@code null} to keep it for ever
	 * @return whether the key exists
	 */
	boolean expire(String key, @Nullable Duration ttl);

	/**
	 * Adds to a counter, which starts at zero.
	 * @param key the key
	 * @param delta the amount
	 * @return the new count
	 * @throws CacheValueException if the key holds something else
	 */
	long increment(String key, long delta);

	/**
	 * Visits the keys of every value and list that match a pattern, on every server.
	 * @param pattern a Redis glob pattern over keys
	 * @param keys receives each key, once per batch or key
	 */
	void scan(String pattern, Consumer<List<String>> keys);

	/**
	 * Deletes the given values and lists.
	 * @param keys the keys
	 * @return how many existed
	 */
	long deleteAll(List<String> keys);

	/**
	 * Appends to a list.
	 * @param key the list's key
	 * @param value the element
	 * @return the list's new length
	 */
	long push(String key, String value);

	/**
	 * Puts an element back at the head of a list, creating it if absent: for an element
	 * that was taken but could not be used.
	 * @param key the list's key
	 * @param value the element
	 */
	void pushFirst(String key, String value);

	/**
	 * Takes the first element of a list.
	 * @param key the list's key
	 * @param timeout how long to wait for one, or {@code null} not to wait
	 * @return the element, or {@code null} if there was none in time
	 */
	@Nullable String pop(String key, @Nullable Duration timeout);

	/**
	 * The length of a list.
	 * @param key the list's key
	 * @return its length, zero if absent
	 */
	long length(String key);

	/**
	 * Takes a lock if nobody holds it, and numbers the taking.
	 * @param name the lock's name
	 * @param token the new holder's token
	 * @param nodeId the new holder's node
	 * @param ttl how long the lock lives unless extended
	 * @return the fencing token, larger than any given before for this name, or
	 * {@code null} if the lock is held
	 */
	@Nullable Long tryLock(String name, String token, String nodeId, Duration ttl);

	/**
	 * Releases a lock if the given token holds it.
	 * @param name the lock's name
	 * @param token the holder's token
	 * @return whether it was released
	 */
	boolean unlock(String name, String token);

	/**
	 * Releases a lock whoever holds it, for an operator. The fencing counter is kept, so
	 * the next holder gets a larger fencing token than the one released.
	 * @param name the lock's name
	 * @return whether it was held
	 */
	boolean forceUnlock(String name);

	/**
	 * Extends a lock if the given token holds it.
	 * @param name the lock's name
	 * @param token the holder's token
	 * @param ttl the new time to live
	 * @return whether it was extended
	 */
	boolean extend(String name, String token, Duration ttl);

	/**
	 * Whether the given token holds a lock: the holder's own token, not its fencing
	 * token, which a failover that lost the last taking of the lock can hand out again.
	 * @param name the lock's name
	 * @param token the holder's token
	 * @return whether it holds the lock
	 */
	boolean holds(String name, String token);

	/**
	 * Describes a lock.
	 * @param name the lock's name
	 * @return the lock, or {@code null} if nobody holds it
	 */
	@Nullable LockInfo lock(String name);

	/**
	 * Names every held lock.
	 * @param names receives the names, in batches
	 */
	void scanLocks(Consumer<List<String>> names);

	/**
	 * Reads a value or list whole, with its time to live.
	 * @param key the key
	 * @return the entry, or {@code null} if absent
	 */
	@Nullable StoredEntry export(String key);

	/**
	 * Writes an entry, replacing what the key held.
	 * @param entry the entry
	 */
	void replace(StoredEntry entry);

	/**
	 * What a {@link #read} found.
	 *
	 * @param value the value, or {@code null} if absent or locked
	 * @param locked whether the key's lock was held, so it was not read
	 */
	record Read(@Nullable String value, boolean locked) {

		/** Nothing was read because the key's lock is held. */
		public static final Read LOCKED = new Read(null, true);

	}

}
