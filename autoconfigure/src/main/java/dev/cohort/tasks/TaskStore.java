package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Where the task queue keeps its jobs: Redis, or this JVM's memory. Every method is one
 * atomic step on one queue, on the store's clock, so that no job is lost or taken twice
 * whatever the workers do; {@link TaskWorker} and {@link RecurringScheduler} hold the
 * logic a store does not need to know.
 */
public interface TaskStore {

	/**
	 * Adds a job, now or at a time.
	 * @param job the job
	 * @param dueAtMillis when it is due, ms on the store's clock, or 0 for now
	 * @return the id of the job that waits: this one, or the identical unique one that
	 * already waited
	 */
	String enqueue(JobRecord job, long dueAtMillis);

	/**
	 * Adds the run of a recurring task for a period, unless that period or a later one
	 * was added before.
	 * @param job the run
	 * @param periodStart the period's start in ms
	 * @return whether it was added
	 */
	boolean enqueueRecurring(JobRecord job, long periodStart);

	/**
	 * The last period for which a run of a recurring task was added.
	 * @param queue the task's queue
	 * @param task the task
	 * @return the period's start in ms, or {@code null} if none
	 */
	@Nullable Long lastPeriod(String queue, String task);

	/**
	 * Takes jobs for a node, each under a new lease. Due delayed jobs are moved to the
	 * queue first, and jobs whose lease lapsed are taken back (or failed once they
	 * stalled more than {@code maxStalls} times).
	 * @param queue the queue
	 * @param nodeId the node that will run them
	 * @param max the most jobs to take
	 * @param lease how long the lease lasts unless renewed
	 * @param maxStalls how many lapsed leases a job survives
	 * @param lockWait how long a job whose job lock is held waits before it is tried
	 * again
	 * @return the jobs taken, possibly none
	 */
	List<ClaimedJob> claim(String queue, String nodeId, int max, Duration lease, int maxStalls, Duration lockWait);

	/**
	 * Renews leases, if their fencing tokens still hold them.
	 * @param queue the queue
	 * @param lease the new lease length
	 * @param fencingTokens job id to the fencing token of its lease
	 * @return the ids whose lease is no longer the caller's
	 */
	List<String> renew(String queue, Duration lease, Map<String, Long> fencingTokens);

	/**
	 * Ends a lease, if its fencing token still holds it.
	 * @param queue the queue
	 * @param jobId the job
	 * @param fencingToken the lease's fencing token
	 * @param settlement how
	 * @param retryDelay the wait before a retry
	 * @param failure the failure's JSON for {@link Settlement#FAIL}, else {@code null}
	 * @return whether the lease was the caller's
	 */
	boolean settle(String queue, String jobId, long fencingToken, Settlement settlement, Duration retryDelay,
			@Nullable String failure);

	/**
	 * How long until a queue may have work.
	 * @param queue the queue
	 * @return 0 if jobs wait, the ms until a delayed job is due or a lease lapses, or -1
	 */
	long nextWakeMillis(String queue);

	/**
	 * Opens what an idle worker waits on for a job to be enqueued.
	 * @return the waiter, to be closed by the worker
	 */
	WorkWaiter waiter();

	/**
	 * The name workers of every queue ({@code *}) also wait on: the first job of a queue
	 * nobody enqueued to before wakes them.
	 */
	String ANY_QUEUE = "*";

	/**
	 * Wakes a worker waiting on a queue: a job was enqueued to it, or is due again.
	 * @param queue the job's queue
	 */
	void signal(String queue);

	/**
	 * Every queue a job was ever enqueued to.
	 * @return the queues
	 */
	Set<String> queues();

	/**
	 * Removes a job that is not running.
	 * @param jobId the job
	 * @return 1 if removed, 0 if absent, -1 if it runs
	 */
	int remove(String jobId);

	/**
	 * Puts a failed job back in its queue, its attempts counted afresh.
	 * @param jobId the job
	 * @return whether it was failed and is queued again
	 */
	boolean retryFailed(String jobId);

	/**
	 * A snapshot of a queue for inspection.
	 * @param queue the queue
	 * @param from the first waiting job to list (0-based)
	 * @param to the last waiting job to list, inclusive
	 * @return the snapshot
	 */
	QueueSnapshot inspect(String queue, long from, long to);

	/**
	 * Job locks that are held.
	 * @param queue the queue
	 * @return lock key to the id of the job that holds it
	 */
	Map<String, String> jobLocks(String queue);

	/**
	 * Deletes a job lock, whoever holds it.
	 * @param queue the queue
	 * @param lockKey the lock key
	 * @return whether it was held
	 */
	boolean deleteJobLock(String queue, String lockKey);

	/**
	 * What an idle worker waits on. Closing it, from any thread, ends a wait in progress.
	 */
	interface WorkWaiter extends AutoCloseable {

		/**
		 * Waits until a job is enqueued to one of the given queues, or for the timeout;
		 * it may return early.
		 * @param queues the queues
		 * @param timeout the longest wait
		 * @throws InterruptedException if interrupted
		 */
		void await(List<String> queues, Duration timeout) throws InterruptedException;

		@Override
		void close();

	}

	/**
	 * What a queue holds, read in one step.
	 *
	 * @param pending how many jobs wait
	 * @param waiting the waiting jobs asked for, in order
	 * @param delayed delayed job to its due time (ms)
	 * @param active running job to its lease, {@code node|fencing token|started ms}
	 * @param failed failed job to its failure JSON, oldest first
	 * @param jobs every job listed above, by id
	 * @param stats counters: processed, failed, retried, stalled
	 * @param delayedCount how many jobs are delayed, listed or not
	 * @param failedCount how many jobs are failed, listed or not
	 */
	record QueueSnapshot(long pending, List<String> waiting, Map<String, Long> delayed, Map<String, String> active,
			Map<String, String> failed, Map<String, JobRecord> jobs, Map<String, Long> stats, long delayedCount,
			long failedCount) {
	}

}
