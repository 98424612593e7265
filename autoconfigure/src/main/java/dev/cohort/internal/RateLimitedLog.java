package dev.cohort.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a warning at most once per interval for each key, saying how many were held back
 * since the last one, so that a flood of bad messages cannot flood the log.
 * <p>
 * It remembers at most {@value #MAX_KEYS} keys, since keys may come from outside (a task
 * name read from Redis, say): when that many were seen within an interval, further new
 * keys share one window, so that a flood of new keys logs at most one more line per
 * interval. Keys that logged nothing for an interval are forgotten to make room.
 */
public final class RateLimitedLog {

	/** The most keys remembered, the shared window of the keys beyond them included. */
	static final int MAX_KEYS = 1000;

	/** The key of the window shared by the keys that found no room. */
	private static final String OVERFLOW = "\u0000overflow";

	private final Log log;

	private final long intervalMillis;

	private final LongSupplier clock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	/**
	 * When the quiet keys were last looked for: at most once an interval, so that a flood
	 * of new keys stays cheap. A key that turns quiet meanwhile goes at the next look.
	 */
	private final AtomicLong lastForgotten = new AtomicLong(Long.MIN_VALUE);

	public RateLimitedLog(Log log, long intervalMillis) {
		this(log, intervalMillis, System::currentTimeMillis);
	}

	RateLimitedLog(Log log, long intervalMillis, LongSupplier clock) {
		this.log = log;
		this.intervalMillis = intervalMillis;
		this.clock = clock;
	}

	/**
	 * Logs the message as a warning unless one with the same key was logged within the
	 * interval.
	 * @param key what the message is about, such as a rejection reason
	 * @param message the message
	 * @return {@code true} if it was logged
	 */
	public boolean warn(String key, String message) {
		return warn(key, message, null);
	}

	/**
	 * Logs the message as a warning, with the stack trace of its cause, unless one with
	 * the same key was logged within the interval.
	 * @param key what the message is about, such as a rejection reason
	 * @param message the message
	 * @param cause the exception whose stack trace goes with it, or {@code null}
	 * @return {@code true} if it was logged
	 */
	public boolean warn(String key, String message, @Nullable Throwable cause) {
		if (!this.log.isWarnEnabled()) {
			return false;
		}
		long now = this.clock.getAsLong();
		Window window = window(key, now);
		long last = window.lastLogged.get();
		if (last != Long.MIN_VALUE && now - last < this.intervalMillis) {
			window.suppressed.incrementAndGet();
			return false;
		}
		if (!window.lastLogged.compareAndSet(last, now)) {
			window.suppressed.incrementAndGet();
			return false;
		}
		long suppressed = window.suppressed.getAndSet(0);
		String line = (suppressed > 0) ? message + " (" + suppressed + " more like it not logged)" : message;
		if (cause != null) {
			this.log.warn(line, cause);
		}
		else {
			this.log.warn(line);
		}
		return true;
	}

	private Window window(String key, long now) {
		Window window = this.windows.get(key);
		if (window != null) {
			return window;
		}
		long forgotten = this.lastForgotten.get();
		if (this.windows.size() >= MAX_KEYS - 1
				&& (forgotten == Long.MIN_VALUE || now - forgotten >= this.intervalMillis)
				&& this.lastForgotten.compareAndSet(forgotten, now)) {
			forgetQuietKeys(now);
		}
		if (this.windows.size() >= MAX_KEYS - 1) {
			return this.windows.computeIfAbsent(OVERFLOW, (overflow) -> new Window());
		}
		return this.windows.computeIfAbsent(key, (k) -> new Window());
	}

	/**
	 * Forgets the keys that logged nothing for an interval: the next message with such a
	 * key is logged anyway, only without the count of those held back before.
	 */
	private void forgetQuietKeys(long now) {
		this.windows.values().removeIf((window) -> {
			long last = window.lastLogged.get();
			return last != Long.MIN_VALUE && now - last >= this.intervalMillis;
		});
	}

	int size() {
		return this.windows.size();
	}

	private static final class Window {

		private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong suppressed = new AtomicLong();

	}

}
