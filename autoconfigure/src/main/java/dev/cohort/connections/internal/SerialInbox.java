package dev.cohort.connections.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The work of one connection (its opening, its frames, its closing), run one task at a
 * time in the order it came, on a pool of threads that every connection shares. A
 * connection holds at most one task of the pool's queue at a time, and gives the thread
 * back after each task, so that a busy connection cannot starve the others; the tasks it
 * may have waiting are bounded.
 */
final class SerialInbox {

	private static final Log logger = LogFactory.getLog(SerialInbox.class);

	private static final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final Executor pool;

	private final int maxWaiting;

	/** Guarded by this. */
	private final Deque<Runnable> tasks = new ArrayDeque<>();

	/** Whether a drain is queued or running in the pool; guarded by this. */
	private boolean scheduled;

	/**
	 * Creates an inbox.
	 * @param pool the shared threads
	 * @param maxWaiting how many tasks given to {@link #offer} may wait
	 */
	SerialInbox(Executor pool, int maxWaiting) {
		this.pool = pool;
		this.maxWaiting = maxWaiting;
	}

	/**
	 * Adds a task, unless as many as allowed wait already.
	 * @param task the task
	 * @return whether it was added
	 */
	boolean offer(Runnable task) {
		return add(task, false);
	}

	/**
	 * Adds a task that must run whatever waits already (the connection's opening and
	 * closing).
	 * @param task the task
	 */
	void submit(Runnable task) {
		add(task, true);
	}

	private boolean add(Runnable task, boolean always) {
		synchronized (this) {
			if (!always && this.tasks.size() >= this.maxWaiting) {
				return false;
			}
			this.tasks.add(task);
			if (this.scheduled) {
				return true;
			}
			this.scheduled = true;
		}
		schedule();
		return true;
	}

	private void schedule() {
		try {
			this.pool.execute(this::runNext);
		}
		catch (RejectedExecutionException ex) {
			// The node is shutting down: nothing more will run.
			synchronized (this) {
				logger.debug("Dropped " + this.tasks.size() + " tasks of a connection: its threads are stopped");
				this.tasks.clear();
				this.scheduled = false;
			}
		}
	}

	private void runNext() {
		Runnable task;
		synchronized (this) {
			task = this.tasks.poll();
			if (task == null) {
				this.scheduled = false;
				return;
			}
		}
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			rateLimited.warn("failed", "A task of a WebSocket connection failed", ex);
		}
		finally {
			boolean more;
			synchronized (this) {
				more = !this.tasks.isEmpty();
				this.scheduled = more;
			}
			if (more) {
				schedule();
			}
		}
	}

}
