package dev.cohort.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cluster.ClusterMetrics;

/**
 * Tells the benchmark when jobs are done: registered as the worker nodes'
 * {@link ClusterMetrics} bean, it hears {@link #taskRun} from the worker once the store
 * has recorded a job's end, which is what BullMQ's {@code completed} event tells. The
 * benchmark thus stops its clock when the end is recorded, not when the handler returned.
 * Several worker nodes may share one.
 */
final class TaskCompletions implements ClusterMetrics {

	private final AtomicInteger done = new AtomicInteger();

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong notDone = new AtomicLong();

	private volatile int expected = Integer.MAX_VALUE;

	private volatile CompletableFuture<Long> reached = new CompletableFuture<>();

	private volatile Runnable onEach = () -> {
	};

	@Override
	public void taskRun(String task, String outcome, long nanos) {
		if (!outcome.equals("done")) {
			this.notDone.incrementAndGet();
			return;
		}
		this.total.incrementAndGet();
		this.onEach.run();
		if (this.done.incrementAndGet() == this.expected) {
			this.reached.complete(System.nanoTime());
		}
	}

	/**
	 * Starts counting afresh: call it before the jobs to count are enqueued.
	 * @param count how many jobs to wait for
	 * @return completed with {@link System#nanoTime()} when the last of them is done
	 */
	CompletableFuture<Long> expect(int count) {
		CompletableFuture<Long> future = new CompletableFuture<>();
		this.expected = Integer.MAX_VALUE;
		this.reached = future;
		this.done.set(0);
		this.expected = count;
		return future;
	}

	/**
	 * Runs an action for every job done from now on, on the worker's thread.
	 * @param action the action, quick
	 */
	void onEach(Runnable action) {
		this.onEach = action;
	}

	/**
	 * Jobs done since this was made.
	 * @return the count
	 */
	long total() {
		return this.total.get();
	}

	/**
	 * Runs that ended otherwise than done (retry, fail, hand-back, lost lease): there
	 * should be none.
	 * @return the count
	 */
	long notDone() {
		return this.notDone.get();
	}

}
