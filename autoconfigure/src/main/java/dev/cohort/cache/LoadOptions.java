package dev.cohort.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How {@link ClusterCache#load(String, Class, LoadOptions) load} reads a key. Immutable;
 * start from {@link #defaults()}.
 *
 * <pre class="code">
 * cache.load("report", Report.class, LoadOptions.defaults().refreshTtl(Duration.ofMinutes(5))
 *     .waitWhileLocked(Duration.ofSeconds(2)));
 * </pre>
 */
public final class LoadOptions {

	private static final LoadOptions DEFAULTS = new LoadOptions(null, null);

	private final @Nullable Duration refreshTtl;

	private final @Nullable Duration waitWhileLocked;

	private LoadOptions(@Nullable Duration refreshTtl, @Nullable Duration waitWhileLocked) {
		this.refreshTtl = refreshTtl;
		this.waitWhileLocked = waitWhileLocked;
	}

	/**
	 * Plain reads: the time to live is left alone and locks are not looked at.
	 * @return the options
	 */
	public static LoadOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Sets the key's time to live to the given one whenever it is read, in the same step,
	 * so that keys in use stay and idle ones expire.
	 * @param ttl the time to live
	 * @return new options
	 */
	public LoadOptions refreshTtl(Duration ttl) {
		Assert.isTrue(ttl.toMillis() >= 1, "'ttl' must be at least one millisecond");
		return new LoadOptions(ttl, this.waitWhileLocked);
	}

	/**
	 * While a lock of the same name as the key is held, waits for it to be released, up
	 * to the given time, then raises {@link CacheLockedException}. Whether the lock is
	 * held and the value are read in one step.
	 * @param maxWait the longest wait
	 * @return new options
	 */
	public LoadOptions waitWhileLocked(Duration maxWait) {
		Assert.isTrue(!maxWait.isNegative(), "'maxWait' must not be negative");
		return new LoadOptions(this.refreshTtl, maxWait);
	}

	public @Nullable Duration getRefreshTtl() {
		return this.refreshTtl;
	}

	public @Nullable Duration getWaitWhileLocked() {
		return this.waitWhileLocked;
	}

}
