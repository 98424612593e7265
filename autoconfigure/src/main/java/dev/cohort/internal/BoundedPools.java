package dev.cohort.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The thread pools Cohort runs application code on: a fixed number of threads and a
 * bounded queue, so that a flood of work is refused (and the caller told) rather than
 * queued without limit.
 */
public final class BoundedPools {

	private BoundedPools() {
	}

	/**
	 * A pool whose {@code execute} throws
	 * {@link java.util.concurrent.RejectedExecutionException} when its threads are busy
	 * and its queue is full.
	 * @param threadNamePrefix the prefix of its threads' names
	 * @param threads how many threads
	 * @param queueCapacity how many tasks may wait
	 * @return the pool
	 */
	public static ThreadPoolExecutor create(String threadNamePrefix, int threads, int queueCapacity) {
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(queueCapacity), new CustomizableThreadFactory(threadNamePrefix));
	}

	/**
	 * Lets the tasks taken finish, for at most five seconds.
	 * @param pool the pool, or {@code null}
	 */
	public static void shutdown(@Nullable ThreadPoolExecutor pool) {
		if (pool == null) {
			return;
		}
		pool.shutdown();
		try {
			pool.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
