package dev.cohort.internal.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A few {@link BlockingRedis} connections, kept open and lent to one caller at a time, so
 * that frequent short blocking commands do not each open a connection. At most
 * {@code size} are open; more callers at once wait for one to be given back. A connection
 * whose command failed is closed rather than lent again: a blocking command cut short by
 * a client timeout may still be waiting in Redis, and would take an element that nobody
 * reads.
 */
public final class BlockingRedisPool implements AutoCloseable {

	private final BlockingRedis redis;

	private final Semaphore permits;

	private final Deque<BlockingRedis.Connection> idle = new ArrayDeque<>();

	private final Set<BlockingRedis.Connection> open = new HashSet<>();

	/**
	 * Creates a pool; it opens connections when they are first needed.
	 * @param redis where the connections come from
	 * @param size the most connections open at once
	 */
	public BlockingRedisPool(BlockingRedis redis, int size) {
		Assert.isTrue(size > 0, "'size' must be positive");
		this.redis = redis;
		this.permits = new Semaphore(size, true);
	}

	/**
	 * Borrows a connection, waiting for one to be given back if all are lent. Closing the
	 * borrowed connection gives it back.
	 * @param maxWait the longest wait for a connection
	 * @return the connection, or {@code null} if none was free in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public BlockingRedis.@Nullable Connection borrow(Duration maxWait) throws InterruptedException {
		if (!this.permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
			return null;
		}
		try {
			BlockingRedis.Connection connection = takeIdle();
			if (connection == null) {
				// Opened outside the monitor: connecting takes a round trip.
				connection = this.redis.open();
				addOpen(connection);
			}
			return new Lent(connection);
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	/**
	 * Closes every connection open now, lent ones included: a command waiting on one ends
	 * with an error. Connections borrowed later are new ones.
	 */
	@Override
	public void close() {
		List<BlockingRedis.Connection> closing;
		synchronized (this) {
			closing = new ArrayList<>(this.open);
			this.open.clear();
			this.idle.clear();
		}
		closing.forEach(BlockingRedis.Connection::close);
	}

	private synchronized BlockingRedis.@Nullable Connection takeIdle() {
		return this.idle.pollFirst();
	}

	private synchronized void addOpen(BlockingRedis.Connection connection) {
		this.open.add(connection);
	}

	private void giveBack(BlockingRedis.Connection connection, boolean usable) {
		boolean kept;
		synchronized (this) {
			// Not kept if close() ran while it was lent: it is closed.
			kept = usable && this.open.contains(connection);
			if (kept) {
				this.idle.addFirst(connection);
			}
			else {
				this.open.remove(connection);
			}
		}
		if (!kept) {
			connection.close();
		}
		this.permits.release();
	}

	/**
	 * A connection while it is lent.
	 */
	private final class Lent implements BlockingRedis.Connection {

		private final BlockingRedis.Connection connection;

		private boolean usable = true;

		private boolean returned;

		Lent(BlockingRedis.Connection connection) {
			this.connection = connection;
		}

		@Override
		public @Nullable String leftPop(Duration timeout, String... keys) {
			Assert.state(!this.returned, "The connection was given back");
			try {
				return this.connection.leftPop(timeout, keys);
			}
			catch (RuntimeException ex) {
				this.usable = false;
				throw ex;
			}
		}

		@Override
		public void close() {
			if (!this.returned) {
				this.returned = true;
				giveBack(this.connection, this.usable);
			}
		}

	}

}
