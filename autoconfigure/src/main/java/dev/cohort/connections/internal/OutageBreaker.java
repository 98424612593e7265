package dev.cohort.connections.internal;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Knows, from how the calls of connections and rooms to Redis (the directory, room
 * events) end, when Redis is unreachable, so that those calls fail at once instead of
 * each one waiting for the command timeout. A call that fails for want of Redis (a
 * timeout, a lost connection) opens the breaker: calls are refused for the retry
 * interval; then one call at a time goes through as a probe, and the first that succeeds
 * closes the breaker again.
 */
final class OutageBreaker {

	private final long retryNanos;

	private final LongSupplier nanoTime;

	private volatile boolean open;

	/** When the breaker last opened; guarded by this. */
	private long openedAt;

	/** The thread whose call probes Redis, while the breaker is open; guarded by this. */
	private @Nullable Thread prober;

	OutageBreaker(Duration retryInterval) {
		this(retryInterval, System::nanoTime);
	}

	OutageBreaker(Duration retryInterval, LongSupplier nanoTime) {
		this.retryNanos = retryInterval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Runs a call that needs Redis, unless Redis is known to be unreachable.
	 * @param <T> what the call returns
	 * @param call the call
	 * @return what it returned
	 * @throws Unreachable if Redis is known to be unreachable
	 */
	<T> T call(Supplier<T> call) {
		if (!admits()) {
			throw new Unreachable();
		}
		T result;
		try {
			result = call.get();
		}
		catch (RuntimeException ex) {
			failed(ex);
			throw ex;
		}
		succeeded();
		return result;
	}

	/**
	 * Runs a call that needs Redis, unless Redis is known to be unreachable.
	 * @param call the call
	 * @throws Unreachable if Redis is known to be unreachable
	 */
	void run(Runnable call) {
		call(() -> {
			call.run();
			return null;
		});
	}

	/**
	 * Whether Redis is known to be unreachable: a call failed for want of it, and no call
	 * has succeeded since.
	 * @return whether the breaker is open
	 */
	boolean isOpen() {
		return this.open;
	}

	private boolean admits() {
		if (!this.open) {
			return true;
		}
		synchronized (this) {
			if (!this.open) {
				return true;
			}
			Thread current = Thread.currentThread();
			if (this.prober == current) {
				return true;
			}
			if (this.prober != null || this.nanoTime.getAsLong() - this.openedAt < this.retryNanos) {
				return false;
			}
			this.prober = current;
			return true;
		}
	}

	private void succeeded() {
		if (this.open) {
			synchronized (this) {
				this.open = false;
				this.prober = null;
			}
		}
	}

	private void failed(RuntimeException ex) {
		if (isOutage(ex)) {
			synchronized (this) {
				this.open = true;
				this.openedAt = this.nanoTime.getAsLong();
				this.prober = null;
			}
		}
		else if (this.open) {
			// Not an answer about Redis either way: let the next call probe.
			synchronized (this) {
				if (this.prober == Thread.currentThread()) {
					this.prober = null;
				}
			}
		}
	}

	/**
	 * Whether an exception says that Redis could not be reached or did not answer in
	 * time, rather than that it refused the command.
	 * @param ex the exception
	 * @return whether it is an outage
	 */
	static boolean isOutage(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof Unreachable || cause instanceof QueryTimeoutException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * A call refused because Redis is known to be unreachable.
	 */
	static final class Unreachable extends RuntimeException {

		Unreachable() {
			super("Redis is unreachable", null, false, false);
		}

	}

}
