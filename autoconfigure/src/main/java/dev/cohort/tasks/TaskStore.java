package dev.cohort.tasks;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Where the task queue keeps its jobs: Redis, or this JVM's memory. Every method is one
 * atomic step on one queue, on the store's clock, so that no job is lost or taken twice
 * whatever the workers do; the task worker and the recurring scheduler hold the logic a
 * store does not need to know.
 */
public interface TaskStore {

	/**
	 * Adds a job, now or at a time, and wakes a worker waiting on its queue, as
	 * {@link #enqueueAll} adds one.
	 * @param job the job
	 * @param dueAtMillis when it is due, ms on the store's clock, or 0 for now
	 * @return the id of the job that waits: this one, or the identical unique one that
	 * already waited
	 */
	default String enqueue(JobRecord job, long dueAtMillis) {
		return enqueueAll(job.queue(), List.of(new NewJob(job, dueAtMillis))).get(0);
	}

	/**
	 * Adds jobs to one queue, in order, in one atomic step, and wakes the workers waiting
	 * on it (one wake-up for each job added, as {@link #signal} wakes them). A unique job
	 * is not added while an identical one waits, or was added before it in the same call:
	 * the id of the waiting one is returned for it.
	 * @param queue the queue of every job
	 * @param jobs the jobs and when each is due
	 * @return for each job, in order, the id of the job that waits: its own, or the
	 * identical unique one's
	 */
	List<String> enqueueAll(String queue, List<NewJob> jobs);

	/**
	 * Adds the run of a recurring task for a period to its queue, unless that period or a
	 * later one was added to that queue before.
	 * @param job the run
	 * @param periodStart the period's start in ms
	 * @return whether it was added
	 */
	boolean enqueueRecurring(JobRecord job, long periodStart);

	/**
	 * The task's mark: the last period of a recurring task that a scheduler began to
	 * enqueue, in whichever queue.
	 * @param task the task
	 * @param queue the task's queue, whose own record of the last period counts when the
	 * task has no mark yet (a mark is written since the mark was introduced)
	 * @return the mark, or {@code null} if no period was ever enqueued
	 */
	@Nullable RecurringPeriod lastPeriod(String task, String queue);

	/**
	 * Begins to enqueue a period of a recurring task: moves the task's mark to this
	 * period and queue, unless it is at this period or a later one already. Whoever gets
	 * a mark that is not {@link RecurringPeriod#enqueued() enqueued} enqueues its run, to
	 * the queue the mark names, then calls {@link #endPeriod}: a period is enqueued once
	 * whatever the definitions of the schedulers that meet it.
	 * @param task the task
	 * @param periodStart the period's start in ms
	 * @param queue the queue this caller would enqueue it to
	 * @return the mark after the call
	 */
	RecurringPeriod beginPeriod(String task, long periodStart, String queue);

	/**
	 * Records that the run of a begun period was enqueued, if the mark is still there.
	 * @param task the task
	 * @param periodStart the period's start in ms
	 * @param queue the queue the mark names
	 */
	void endPeriod(String task, long periodStart, String queue);

	/**
	 * Takes the recurring scheduler's leadership if nobody holds it, or extends it if the
	 * caller holds it, in one step. Each taking gets the next fencing token, which an
	 * extension keeps; once the lease lapses unextended, anyone may take it.
	 * @param nodeId the caller's node
	 * @param token the caller's own token, secret and random, the same for every
	 * extension
	 * @param lease how long the leadership lasts unless extended
	 * @return the fencing token of the leadership the caller holds now, or 0 if another
	 * holds it
	 */
	long lead(String nodeId, String token, Duration lease);

	/**
	 * Gives up the recurring scheduler's leadership, if the caller holds it.
	 * @param token the caller's token
	 * @return whether the caller held it
	 */
	boolean resign(String token);

	/**
	 * Who leads the recurring scheduler, as anyone may see it.
	 * @return the leader, or {@code null} if nobody leads
	 */
	@Nullable Leader leader();

	/**
	 * Takes jobs for a node, each under a new lease. Due delayed jobs are moved to the
	 * queue first, and jobs whose lease lapsed are taken back (or failed once they
	 * stalled more than {@code maxStalls} times); each of those is told to the
	 * {@linkplain #onStall stall listener}, once.
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
	 * Takes jobs as {@link #claim} does and, if it took fewer than asked, tells in the
	 * same step how long until the queue may have work, as {@link #nextWakeMillis} does:
	 * a worker that emptied its queue learns how long it may wait without asking again.
	 * This default asks again.
	 * @param queue the queue
	 * @param nodeId the node that will run them
	 * @param max the most jobs to take
	 * @param lease how long the lease lasts unless renewed
	 * @param maxStalls how many lapsed leases a job survives
	 * @param lockWait how long a job whose job lock is held waits before it is tried
	 * again
	 * @return the jobs taken, and the wait if fewer than asked
	 */
	default Claimed claimOrWait(String queue, String nodeId, int max, Duration lease, int maxStalls,
			Duration lockWait) {
		List<ClaimedJob> jobs = claim(queue, nodeId, max, lease, maxStalls, lockWait);
		return new Claimed(jobs, (jobs.size() < max) ? nextWakeMillis(queue) : 0);
	}

	/**
	 * Waits on a waiter as {@link WorkWaiter#await} does, then takes jobs as
	 * {@link #claimOrWait} does as soon as the wait ends, and starts them; then does it
	 * again for as long as {@code again} asks. A store may send a wait and its claim at
	 * once, so that a job enqueued while a worker waits starts a round trip sooner, start
	 * the jobs on the thread that got the answer (where nothing may wait on the store),
	 * and send the next round from there; this default does one after the other on the
	 * caller's thread.
	 * @param waiter the waiter, from this store
	 * @param awaited the queues whose wake-ups end a wait
	 * @param queue the queue to take jobs from
	 * @param first the first wait and claim
	 * @param start starts the jobs taken, without waiting on the store
	 * @param again after each claim, the next wait and claim, or {@code null} to end;
	 * without waiting on the store
	 * @return what the last claim took (started already), and its wait
	 * @throws InterruptedException if interrupted while waiting
	 */
	default Claimed awaitThenClaim(WorkWaiter waiter, List<String> awaited, String queue, AwaitedClaim first,
			Consumer<List<ClaimedJob>> start, Function<Claimed, @Nullable AwaitedClaim> again)
			throws InterruptedException {
		AwaitedClaim round = first;
		while (true) {
			waiter.await(awaited, round.timeout());
			ClaimRequest claim = round.claim();
			Claimed claimed = claimOrWait(queue, claim.nodeId(), claim.max(), claim.lease(), claim.maxStalls(),
					claim.lockWait());
			start.accept(claimed.jobs());
			AwaitedClaim next = again.apply(claimed);
			if (next == null) {
				return claimed;
			}
			round = next;
		}
	}

	/**
	 * Renews leases, if they are still the caller's (same fencing token and lease id),
	 * and takes each job's job lock again: a job whose lock another job holds is handed
	 * back to the front of its queue and reported lost.
	 * @param queue the queue
	 * @param lease the new lease length
	 * @param leases job id to its lease
	 * @return the ids whose lease is no longer the caller's
	 */
	List<String> renew(String queue, Duration lease, Map<String, Lease> leases);

	/**
	 * Ends a lease, if it is still the caller's (same fencing token and lease id), as
	 * {@link #settleAll} ends one.
	 * @param queue the queue
	 * @param jobId the job
	 * @param lease the lease
	 * @param settlement how
	 * @param retryDelay the wait before a retry
	 * @param failure the failure's JSON for {@link Settlement#FAIL}, else {@code null}
	 * @return whether the lease was the caller's
	 */
	default boolean settle(String queue, String jobId, Lease lease, Settlement settlement, Duration retryDelay,
			@Nullable String failure) {
		return settleAll(queue, List.of(new Settle(jobId, lease, settlement, retryDelay, failure))).get(0);
	}

	/**
	 * Ends leases of one queue's jobs in one atomic step, each only if it is still the
	 * caller's (same fencing token and lease id): a worker records the ends of the jobs
	 * that finished since its last call at once.
	 * @param queue the queue of every job
	 * @param settles how each job ended
	 * @return for each, in order, whether the lease was the caller's and the end recorded
	 */
	List<Boolean> settleAll(String queue, List<Settle> settles);

	/**
	 * Ends leases as {@link #settleAll} does, then takes jobs as {@link #claim} does if
	 * asked, without waiting for the answer: the worker records its jobs' ends this way,
	 * so that a processor does not wait for the store, and the jobs that end hand their
	 * processors to the next ones in the same step. The answer completes on whichever
	 * thread the store answers on (for Redis, a Lettuce event-loop thread, where nothing
	 * may wait on Redis). This default does both on the caller's thread.
	 * @param queue the queue of every job
	 * @param settles how each job ended
	 * @param next the claim that follows, or {@code null} for none
	 * @return for each end, in order, whether it was recorded; and the jobs taken
	 */
	default CompletionStage<Settled> settleAllAsync(String queue, List<Settle> settles, @Nullable ClaimRequest next) {
		try {
			List<Boolean> settled = settleAll(queue, settles);
			List<ClaimedJob> claimed = (next != null && next.max() > 0)
					? claim(queue, next.nodeId(), next.max(), next.lease(), next.maxStalls(), next.lockWait())
					: List.of();
			return CompletableFuture.completedFuture(new Settled(settled, claimed));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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
	 * Wakes a worker waiting on a queue: a job was enqueued to it, or is due again. Best
	 * effort: it never throws, since what it wakes for is stored already; a failed
	 * wake-up is logged (rate-limited), and idle workers still look at their queues at
	 * least every 5 seconds.
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
	 * Removes a job only if it is failed, in one step, so that a job retried meanwhile is
	 * left alone.
	 * @param jobId the job
	 * @return whether it was failed and is gone
	 */
	boolean removeFailed(String jobId);

	/**
	 * Puts a failed job back in its queue, its attempts counted afresh.
	 * @param jobId the job
	 * @return whether it was failed and is queued again
	 */
	boolean retryFailed(String jobId);

	/**
	 * Deletes every waiting and delayed job of a queue, in one step, as {@link #remove}
	 * deletes one. Running and failed jobs stay.
	 * @param queue the queue
	 * @return how many were deleted
	 */
	long deleteQueue(String queue);

	/**
	 * The waiting and delayed jobs of a task in a queue, read in one step, for a caller
	 * that picks some by their arguments and {@link #removeWaiting removes} them.
	 * @param queue the queue
	 * @param task the task's name
	 * @return the jobs, waiting ones first in queue order, then delayed ones soonest
	 * first
	 */
	List<JobRecord> waitingJobsOf(String queue, String task);

	/**
	 * Removes those of some jobs that still wait or are delayed, in one step: a job taken
	 * by a worker meanwhile, or failed, stays.
	 * @param queue the queue of every job
	 * @param jobIds the jobs
	 * @return how many were removed
	 */
	int removeWaiting(String queue, List<String> jobIds);

	/**
	 * Pauses or resumes a queue: while paused, no claim takes a job from it (delayed jobs
	 * still come due and wait, and lapsed leases are still taken back); enqueues still
	 * land. The state is in the store, for every node and a node that starts later.
	 * @param queue the queue
	 * @param paused whether it is to be paused
	 * @return whether its state changed
	 */
	boolean pause(String queue, boolean paused);

	/**
	 * Pauses or resumes a recurring task: while paused, the scheduler enqueues none of
	 * its runs. The state is in the store, like {@link #pause}'s.
	 * @param task the task's name
	 * @param paused whether it is to be paused
	 * @return whether its state changed
	 */
	boolean pauseRecurring(String task, boolean paused);

	/**
	 * The recurring tasks paused.
	 * @return their names
	 */
	Set<String> pausedRecurring();

	/**
	 * A snapshot of a queue for inspection.
	 * @param queue the queue
	 * @param from the first waiting job to list (0-based)
	 * @param to the last waiting job to list, inclusive
	 * @return the snapshot
	 */
	QueueSnapshot inspect(String queue, long from, long to);

	/**
	 * A queue's counts and the age of the job that runs next, read cheaply: lengths, the
	 * counters and one job, not the jobs and leases that {@link #inspect} reads.
	 * @param queue the queue
	 * @return the counts
	 */
	QueueCounts counts(String queue);

	/**
	 * A page of a queue's delayed jobs, soonest due first (then by id).
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param to the last position, inclusive, or -1 for the end
	 * @return the delayed jobs of the page
	 */
	List<DelayedEntry> delayed(String queue, long from, long to);

	/**
	 * A page of a queue's failed jobs, oldest first.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param to the last position, inclusive, or -1 for the end
	 * @return the failed jobs of the page
	 */
	List<FailedEntry> failed(String queue, long from, long to);

	/**
	 * Deletes the oldest failed jobs of a queue, as {@link #remove} deletes one.
	 * @param queue the queue
	 * @param max the most to delete in this step
	 * @return how many were deleted; fewer than {@code max} once none is left
	 */
	int deleteFailed(String queue, int max);

	/**
	 * A queue's history of jobs done and failed per minute, as kept: up to a day of
	 * minutes, each once, in no order, possibly with minutes older than a day.
	 * @param queue the queue
	 * @return the history, with the store's time
	 */
	History history(String queue);

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
	 * A lease: what a worker shows to renew or end it. The fencing token orders leases;
	 * the lease id, random for each claim, tells apart two leases that got the same token
	 * (a failover can lose the claim that counted one out).
	 *
	 * @param fencingToken the lease's fencing token
	 * @param id the lease id
	 */
	record Lease(long fencingToken, String id) {

		private static final SecureRandom random = new SecureRandom();

		/**
		 * A new random lease id, for a claim.
		 * @return 24 hex digits
		 */
		public static String newId() {
			byte[] bytes = new byte[12];
			random.nextBytes(bytes);
			return HexFormat.of().formatHex(bytes);
		}

	}

	/**
	 * A job to add, and when.
	 *
	 * @param job the job
	 * @param dueAtMillis when it is due, ms on the store's clock, or 0 for now
	 */
	record NewJob(JobRecord job, long dueAtMillis) {
	}

	/**
	 * How a job under a lease ended.
	 *
	 * @param jobId the job
	 * @param lease the lease it ran under
	 * @param settlement how it ended
	 * @param retryDelay the wait before a retry ({@link Settlement#RETRY})
	 * @param failure the failure's JSON for {@link Settlement#FAIL}, else {@code null}
	 */
	record Settle(String jobId, Lease lease, Settlement settlement, Duration retryDelay, @Nullable String failure) {
	}

	/**
	 * A claim, as {@link #claim} takes it, for a queue named elsewhere.
	 *
	 * @param nodeId the node that will run the jobs
	 * @param max the most jobs to take
	 * @param lease how long the lease lasts unless renewed
	 * @param maxStalls how many lapsed leases a job survives
	 * @param lockWait how long a job whose job lock is held waits before it is tried
	 * again
	 */
	record ClaimRequest(String nodeId, int max, Duration lease, int maxStalls, Duration lockWait) {
	}

	/**
	 * A wait, and the claim that follows it.
	 *
	 * @param timeout the longest wait
	 * @param claim the claim
	 */
	record AwaitedClaim(Duration timeout, ClaimRequest claim) {
	}

	/**
	 * Sets what hears of the jobs this store's claims take back from workers whose lease
	 * lapsed: each stall once, from the claim (or settle) that found it, on the claiming
	 * thread, so the listener must not block. By default no one hears of them; a store
	 * has one listener, and setting another replaces it.
	 * @param listener the listener
	 */
	default void onStall(Consumer<Stall> listener) {
	}

	/**
	 * A job taken back because its worker's lease lapsed: the worker died, hung or could
	 * not reach Redis for longer than the lease.
	 *
	 * @param queue the queue
	 * @param jobId the job
	 * @param task the job's task, or an empty string if it cannot be read
	 * @param node the node whose lease lapsed
	 * @param stalls how many times the job has stalled, this one included
	 * @param failed whether it failed for good, as {@code stalled}, having stalled more
	 * than {@code maxStalls} times; else it went back to the front of its queue
	 * @param attempt how many times a worker took it
	 */
	record Stall(String queue, String jobId, String task, String node, int stalls, boolean failed, int attempt) {
	}

	/**
	 * What {@link #claimOrWait} took.
	 *
	 * @param jobs the jobs taken, possibly none
	 * @param nextWakeMillis if fewer jobs than asked were taken, how long until the queue
	 * may have work (0 if jobs wait, ms, or -1 if none is due), else 0
	 */
	record Claimed(List<ClaimedJob> jobs, long nextWakeMillis) {
	}

	/**
	 * What {@link #settleAllAsync} answered.
	 *
	 * @param settled for each end, in order, whether it was recorded
	 * @param claimed the jobs taken after, possibly none
	 */
	record Settled(List<Boolean> settled, List<ClaimedJob> claimed) {
	}

	/**
	 * The mark of a recurring task: the last period a scheduler began to enqueue.
	 *
	 * @param start the period's start in ms
	 * @param queue the queue its run goes to
	 * @param enqueued whether its run was enqueued; if not, the next scheduler enqueues
	 * it
	 */
	record RecurringPeriod(long start, String queue, boolean enqueued) {
	}

	/**
	 * The recurring scheduler's leader, without its token.
	 *
	 * @param nodeId the node that leads
	 * @param fencingToken the number given when it took the leadership
	 * @param remaining how long until its lease lapses unless extended
	 */
	record Leader(String nodeId, long fencingToken, Duration remaining) {
	}

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
	 * @param active running job to its lease,
	 * {@code node|fencing token|started ms|lease id}
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

	/**
	 * A queue's counts, read in one step.
	 *
	 * @param waiting how many jobs wait
	 * @param delayed how many jobs are delayed
	 * @param running how many jobs run
	 * @param failed how many jobs are failed
	 * @param stats counters: processed, failed, retried, stalled
	 * @param oldestWaitingMillis ms since the job that runs next was enqueued, on the
	 * store's clock, or -1 if no job waits
	 * @param paused whether the queue is paused
	 */
	record QueueCounts(long waiting, long delayed, long running, long failed, Map<String, Long> stats,
			long oldestWaitingMillis, boolean paused) {
	}

	/**
	 * A delayed job.
	 *
	 * @param id the job id
	 * @param dueAtMillis when it is due, on the Redis server's clock
	 * @param job the job, or {@code null} if its record is gone or corrupt
	 */
	record DelayedEntry(String id, long dueAtMillis, @Nullable JobRecord job) {
	}

	/**
	 * A failed job.
	 *
	 * @param id the job id
	 * @param failure its failure's JSON ({@code {}} if it has none)
	 * @param job the job, or {@code null} if its record is gone or corrupt
	 */
	record FailedEntry(String id, String failure, @Nullable JobRecord job) {
	}

	/**
	 * The minutes a queue's history holds.
	 *
	 * @param nowMillis the store's time when it was read, ms
	 * @param minutes the minutes kept, in no order
	 */
	record History(long nowMillis, List<Minute> minutes) {

		/** The slots of the ring of minutes: one a minute for a day. */
		public static final int SLOTS = 1440;

		/**
		 * The counts of one minute.
		 *
		 * @param minute the minute, in minutes since the epoch
		 * @param done jobs done in it
		 * @param failed jobs failed for good in it
		 */
		public record Minute(long minute, long done, long failed) {
		}

	}

}
