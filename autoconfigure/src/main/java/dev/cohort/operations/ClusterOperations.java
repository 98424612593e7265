package dev.cohort.operations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.cohort.chat.RoomMember;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.QueueHistory;
import dev.cohort.tasks.QueueStats;
import org.jspecify.annotations.Nullable;

/**
 * What an operator sees of the whole cluster and may change in it: the one service behind
 * the {@code cluster} actuator endpoint and the dashboard, on either transport. Reads
 * never change anything. Every write is logged at INFO with the operator who asked for it
 * ({@code actor}, the authenticated user's name, or {@code anonymous}). Job arguments are
 * shown masked by their task's masked arguments, wherever they show.
 */
public interface ClusterOperations {

	/**
	 * The operator named in the log when a write comes with no name.
	 */
	String ANONYMOUS = "anonymous";

	/**
	 * The operator to name for a write: the given name, or {@link #ANONYMOUS} if there is
	 * none.
	 * @param name the authenticated user's name, if any
	 * @return the operator's name
	 */
	static String operator(@Nullable String name) {
		return (name == null || name.isBlank()) ? ANONYMOUS : name;
	}

	/**
	 * The whole cluster at a glance.
	 * @return nodes, queues, workers, recurring tasks, locks, rooms and connections per
	 * node
	 */
	ClusterOverview overview();

	/**
	 * One live node, with the connections it holds.
	 * @param nodeId the node
	 * @return the node, or empty if no live node has that id
	 */
	Optional<NodeDetails> node(String nodeId);

	/**
	 * One queue: its counts, waiting, delayed, running and failed jobs (a page of each:
	 * the first of the waiting, delayed and running jobs, and of the failed ones from
	 * {@code from}) and its history of the last hour.
	 * @param queue the queue
	 * @param from the first failed job to list (oldest first, from 0)
	 * @param count how many failed, delayed and running jobs to list at most
	 * @return the queue, or empty if no job was ever enqueued to it
	 */
	Optional<QueueDetails> queue(String queue, int from, int count);

	/**
	 * A page of a queue's waiting jobs, in the order workers take them.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param count how many at most
	 * @return the jobs, arguments masked
	 */
	List<JobInfo> waiting(String queue, int from, int count);

	/**
	 * A page of a queue's delayed jobs, soonest first.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param count how many at most
	 * @return the jobs, arguments masked
	 */
	List<JobInfo> delayed(String queue, int from, int count);

	/**
	 * A page of a queue's failed jobs, oldest first.
	 * @param queue the queue
	 * @param from the first position, from 0
	 * @param count how many at most
	 * @return the jobs, arguments masked
	 */
	List<FailedJob> failed(String queue, int from, int count);

	/**
	 * Jobs done and failed per minute in a queue, oldest minute first, every minute of
	 * the window listed (zeros included). History is kept for a day.
	 * @param queue the queue
	 * @param window how far back, at most a day
	 * @return the history
	 */
	QueueHistory history(String queue, Duration window);

	/**
	 * One room and its members.
	 * @param room the room
	 * @return the room, or empty if it does not exist
	 */
	Optional<RoomDetails> room(String room);

	/**
	 * Puts a failed job back in its queue.
	 * @param jobId the job
	 * @param actor who asked
	 * @return whether it was failed
	 */
	boolean retryFailed(String jobId, String actor);

	/**
	 * Puts every failed job of a queue back.
	 * @param queue the queue
	 * @param actor who asked
	 * @return how many
	 */
	long retryAllFailed(String queue, String actor);

	/**
	 * Deletes a failed job.
	 * @param jobId the job
	 * @param actor who asked
	 * @return whether it was failed and is gone
	 */
	boolean deleteFailed(String jobId, String actor);

	/**
	 * Deletes every failed job of a queue.
	 * @param queue the queue
	 * @param actor who asked
	 * @return how many
	 */
	long deleteAllFailed(String queue, String actor);

	/**
	 * Cancels a job: a waiting or delayed one is removed, a running one is asked to stop
	 * (see {@link dev.cohort.tasks.ClusterTasks#cancel}).
	 * @param jobId the job
	 * @param actor who asked
	 * @return whether it was removed or the request sent
	 */
	boolean cancelJob(String jobId, String actor);

	/**
	 * Pauses a queue: no worker takes a job from it until it is resumed (see
	 * {@link dev.cohort.tasks.ClusterTasks#pauseQueue}).
	 * @param queue the queue
	 * @param actor who asked
	 * @return whether it was running
	 */
	boolean pauseQueue(String queue, String actor);

	/**
	 * Resumes a paused queue.
	 * @param queue the queue
	 * @param actor who asked
	 * @return whether it was paused
	 */
	boolean resumeQueue(String queue, String actor);

	/**
	 * Deletes every waiting and delayed job of a queue (see
	 * {@link dev.cohort.tasks.ClusterTasks#deleteQueue}).
	 * @param queue the queue
	 * @param actor who asked
	 * @return how many jobs
	 */
	long deleteQueue(String queue, String actor);

	/**
	 * Pauses a recurring task (see {@link dev.cohort.tasks.ClusterTasks#pauseRecurring}).
	 * @param task the task
	 * @param actor who asked
	 * @return whether it was running
	 */
	boolean pauseRecurring(String task, String actor);

	/**
	 * Resumes a paused recurring task.
	 * @param task the task
	 * @param actor who asked
	 * @return whether it was paused
	 */
	boolean resumeRecurring(String task, String actor);

	/**
	 * Releases a cache lock, whoever holds it; its next holder gets a higher fencing
	 * token.
	 * @param name the lock
	 * @param actor who asked
	 * @return whether it was held
	 */
	boolean releaseLock(String name, String actor);

	/**
	 * Closes a WebSocket connection, on whatever node holds it.
	 * @param connectionId the connection
	 * @param actor who asked
	 * @return whether a live node held it
	 */
	boolean disconnect(String connectionId, String actor);

	/**
	 * One live node and the connections it holds.
	 *
	 * @param node the node
	 * @param connections its connections
	 */
	record NodeDetails(NodeOverview node, List<ConnectionInfo> connections) {
	}

	/**
	 * One queue in detail.
	 *
	 * @param counts its counts
	 * @param waiting the first of its waiting jobs, in the order workers take them
	 * @param delayed its delayed jobs, soonest first
	 * @param running its running jobs
	 * @param failed a page of its failed jobs, oldest first
	 * @param lastHour done and failed per minute over the last hour
	 */
	record QueueDetails(QueueStats counts, List<JobInfo> waiting, List<JobInfo> delayed, List<JobInfo> running,
			List<FailedJob> failed, QueueHistory lastHour) {
	}

	/**
	 * One room and its members.
	 *
	 * @param name the room
	 * @param members its members, on every node
	 */
	record RoomDetails(String name, List<RoomMember> members) {
	}

}
