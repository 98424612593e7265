package dev.cohort.connections.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.cohort.internal.BoundedPools;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The WebSocket endpoint's own threads, so that neither the web server's threads nor
 * Cohort's shared ones ever wait for Redis or for a client: {@code cohort-connection-<n>}
 * run the connections' work (opening, frames, closing; each connection's in order,
 * through its {@link SerialInbox}), and {@code cohort-ws-writer-<n>} close sockets, and
 * write to those that have no asynchronous endpoint. Threads start when there is work and
 * end after a minute idle. The queues are not bounded by size, but by the number of
 * connections: each has at most one task waiting in each pool.
 */
final class ConnectionThreads {

	private static final int WRITER_THREADS = 4;

	private final ThreadPoolExecutor requests;

	private final ThreadPoolExecutor writers;

	ConnectionThreads(int requestThreads) {
		this.requests = pool("cohort-connection-", requestThreads);
		this.writers = pool("cohort-ws-writer-", WRITER_THREADS);
	}

	private static ThreadPoolExecutor pool(String prefix, int threads) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), new CustomizableThreadFactory(prefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	ThreadPoolExecutor requests() {
		return this.requests;
	}

	ThreadPoolExecutor writers() {
		return this.writers;
	}

	/**
	 * Lets the work taken finish, for at most five seconds per pool.
	 */
	void shutdown() {
		BoundedPools.shutdown(this.requests);
		BoundedPools.shutdown(this.writers);
	}

}
