package dev.cohort.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a warning at most once per interval for each key, saying how many were held back
 * since the last one, so that a flood of bad messages cannot flood the log.
 */
public final class RateLimitedLog {

	private final Log log;

	private final long intervalMillis;

	private final LongSupplier clock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

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
		Window window = this.windows.computeIfAbsent(key, (k) -> new Window());
		long now = this.clock.getAsLong();
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

	private static final class Window {

		private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong suppressed = new AtomicLong();

	}

}
