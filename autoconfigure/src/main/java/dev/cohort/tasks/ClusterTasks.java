package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One task queue for the whole cluster: any node enqueues, worker nodes
 * ({@code cluster.role} {@code worker} or {@code all}) run the jobs. Tasks are bean
 * methods annotated with {@link ClusterTask}; arguments travel as JSON.
 * <p>
 * Delivery is at least once: a job whose worker dies runs again, with a higher
 * {@link JobContext#attempt() attempt}, once its lease lapses. Jobs are addressed by id
 * everywhere, so inspection does not depend on positions that change.
 */
public interface ClusterTasks {

	/**
	 * Enqueues a job to run as soon as a worker is free, to its task's queue. A task this
	 * node does not define goes to queue {@code default} unless a {@link JobRequest}
	 * names another: define tasks on every node that enqueues them.
	 * @param task the task's name
	 * @param args the arguments, written as JSON, or {@code null}
	 * @return the job id (for a unique task, the id of the identical job already waiting,
	 * if there is one)
	 */
	String enqueue(String task, @Nullable Object args);

	/**
	 * Enqueues a job to run after a delay.
	 * @param delay the delay
	 * @param task the task's name
	 * @param args the arguments, or {@code null}
	 * @return the job id
	 */
	String enqueueIn(Duration delay, String task, @Nullable Object args);

	/**
	 * Enqueues a job to run at a time, as the Redis server's clock tells it.
	 * @param time the time
	 * @param task the task's name
	 * @param args the arguments, or {@code null}
	 * @return the job id
	 */
	String enqueueAt(Instant time, String task, @Nullable Object args);

	/**
	 * Enqueues a job as described, to a queue of the caller's choice.
	 * @param request the job
	 * @return the job id
	 */
	String enqueue(JobRequest request);

	/**
	 * Enqueues many jobs in few round trips to the store: one step per queue the jobs go
	 * to, atomic within that queue. Each job is checked and enqueued as
	 * {@link #enqueue(JobRequest)} would, in order, with the same result: a unique job
	 * identical to one that waits (or to an earlier one of the same call) is not added,
	 * and the id of the waiting one is returned for it.
	 * @param requests the jobs
	 * @return the job ids, one for each request, in the requests' order
	 * @throws IllegalArgumentException if a request's arguments cannot be written as
	 * JSON; nothing is enqueued then
	 */
	List<String> enqueueAll(List<JobRequest> requests);

	/**
	 * Cancels a job. A waiting, delayed or failed job is removed at once. A running one
	 * is asked to stop: the node running it interrupts it, and it joins the failed jobs
	 * with reason {@code cancelled}. The request travels as a cluster message, so this
	 * returns before the job has stopped, and a node that dies meanwhile never gets it.
	 * @param jobId the job
	 * @return whether the job was removed, or the request sent to the node running it
	 */
	boolean cancel(String jobId);

	/**
	 * Removes a job that is waiting, delayed or failed.
	 * @param jobId the job
	 * @return whether it was removed (false if absent or running)
	 */
	boolean delete(String jobId);

	/**
	 * Removes a job only if it is failed: a job retried meanwhile is left alone.
	 * @param jobId the job
	 * @return whether it was failed and is gone
	 */
	boolean deleteFailed(String jobId);

	/**
	 * Deletes every waiting and delayed job of a queue, in one atomic step (ActionHero's
	 * {@code delQueue}). Running jobs finish; failed jobs stay ({@link #deleteAllFailed}
	 * deletes them). The queue itself stays listed, with its counters.
	 * @param queue the queue
	 * @return how many jobs were deleted
	 */
	long deleteQueue(String queue);

	/**
	 * Deletes the waiting and delayed jobs of a task whose arguments are these
	 * (ActionHero's {@code del} and {@code delDelayed}), compared as
	 * {@link ClusterTask#unique() unique} jobs are: as JSON, whatever the order of their
	 * properties. The jobs are read in one step and removed in another, atomically: a job
	 * that a worker took in between runs, and one enqueued in between stays.
	 * @param queue the queue
	 * @param task the task's name
	 * @param args the arguments, or {@code null}
	 * @return how many jobs were deleted
	 */
	long deleteJobs(String queue, String task, @Nullable Object args);

	/**
	 * Pauses a queue: no worker of any node takes a job from it until it is resumed.
	 * Enqueues still land, delayed jobs still come due, running jobs finish, and a job
	 * whose worker died is still taken back (to wait). The state is kept in the store, so
	 * every node, and a node that starts later, honours it.
	 * @param queue the queue
	 * @return whether it was running and is now paused
	 */
	boolean pauseQueue(String queue);

	/**
	 * Resumes a paused queue, and wakes its workers.
	 * @param queue the queue
	 * @return whether it was paused and now runs
	 */
	boolean resumeQueue(String queue);

	/**
	 * Pauses a recurring task (unlike ActionHero's {@code stopRecurrentTask}, for good:
	 * in the store, across restarts and leader changes): the scheduler enqueues none of
	 * its runs until it is resumed. The periods that pass while paused are skipped, not
	 * caught up.
	 * @param task the recurring task's name
	 * @return whether it was running and is now paused
	 */
	boolean pauseRecurring(String task);

	/**
	 * Resumes a paused recurring task: its next period runs.
	 * @param task the recurring task's name
	 * @return whether it was paused and now runs
	 */
	boolean resumeRecurring(String task);

	/**
	 * The recurring tasks paused.
	 * @return their names
	 */
	Set<String> pausedRecurring();

	/**
	 * The counts of every queue.
	 * @return the counts, by queue name
	 */
	List<QueueStats> stats();

	/**
	 * The jobs waiting in a queue, in the order workers take them.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param to the last position, inclusive; -1 for the end
	 * @return the jobs
	 */
	List<JobInfo> queued(String queue, long from, long to);

	/**
	 * The first 1,000 delayed jobs of a queue, soonest first: {@code delayed(queue, 0,
	 * 999)}. The {@code delayed} count of {@link #stats()} counts them all.
	 * @param queue the queue
	 * @return the jobs, with their due times
	 */
	default List<JobInfo> delayed(String queue) {
		return delayed(queue, 0, 999);
	}

	/**
	 * A page of the delayed jobs of a queue, soonest first (then by id).
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param to the last position, inclusive; -1 for the end
	 * @return the jobs, with their due times
	 */
	List<JobInfo> delayed(String queue, long from, long to);

	/**
	 * When delayed jobs of a task with these arguments are due.
	 * @param task the task's name
	 * @param args the arguments, or {@code null}
	 * @return the due times, soonest first
	 */
	List<Instant> scheduledAt(String task, @Nullable Object args);

	/**
	 * The worker nodes and the jobs each runs now: every live node of role {@code worker}
	 * or {@code all}, idle ones with no jobs, and any node that holds a lease.
	 * @return node id to its jobs
	 */
	Map<String, List<JobInfo>> workingOn();

	/**
	 * The node that leads the recurring scheduler now: it holds the scheduler's
	 * leadership in the task store, and enqueues the runs of recurring tasks.
	 * @return its node id, or empty if no worker node leads (none runs, or the last
	 * leader's lease lapsed and no other took it yet)
	 */
	Optional<String> schedulerLeader();

	/**
	 * The job locks held in a queue.
	 * @param queue the queue
	 * @return lock key to the id of the job that holds it
	 */
	Map<String, String> locks(String queue);

	/**
	 * Deletes a job lock, whoever holds it.
	 * @param queue the queue
	 * @param lockKey the lock key
	 * @return whether it was held
	 */
	boolean deleteLock(String queue, String lockKey);

	/**
	 * The failed jobs of a queue, oldest first (at most 1,000).
	 * @param queue the queue
	 * @return the jobs
	 */
	List<FailedJob> failed(String queue);

	/**
	 * Puts a failed job back at the end of its queue, its attempts counted afresh.
	 * @param jobId the job
	 * @return whether it was failed
	 */
	boolean retryFailed(String jobId);

	/**
	 * Puts every failed job of a queue back.
	 * @param queue the queue
	 * @return how many
	 */
	long retryAllFailed(String queue);

	/**
	 * A page of the failed jobs of a queue, oldest first, their arguments masked as by
	 * {@link #failed(String)}.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param to the last position, inclusive; -1 for the end
	 * @return the jobs
	 * @throws IllegalArgumentException if {@code from} is negative or {@code to} is less
	 * than -1
	 */
	List<FailedJob> failed(String queue, long from, long to);

	/**
	 * Deletes every failed job of a queue, as {@link #delete} deletes one: its record,
	 * attempts and failure go. It deletes 1,000 at a time, each step atomic; jobs that
	 * fail meanwhile are deleted too.
	 * @param queue the queue
	 * @return how many
	 */
	long deleteAllFailed(String queue);

	/**
	 * Jobs done and failed for good per minute in a queue, oldest minute first, every
	 * minute of the window listed (zeros included), the current minute (still counting)
	 * last. Minutes are on the Redis server's clock; history is kept for a day.
	 * @param queue the queue
	 * @param window how far back: its minutes, rounded up, are listed; at most a day
	 * @return the history
	 * @throws IllegalArgumentException if the window is not positive or longer than a day
	 */
	QueueHistory history(String queue, Duration window);

}
