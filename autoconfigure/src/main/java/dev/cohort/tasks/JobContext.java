package dev.cohort.tasks;

import java.time.Instant;
import java.util.Optional;

/**
 * What a running job knows about itself; a task method receives it by declaring a
 * parameter of this type. Delivery is at least once: a job whose worker died runs again
 * with a higher {@link #attempt()} and a new {@link #fencingToken()}, so a task that must
 * not repeat its effect can check both against what it recorded.
 */
public interface JobContext {

	/**
	 * The job's id, the same on every attempt.
	 * @return the id
	 */
	String jobId();

	/**
	 * The task's name.
	 * @return the name
	 */
	String task();

	/**
	 * The queue the job came from.
	 * @return the queue
	 */
	String queue();

	/**
	 * Which attempt this is, from 1: retries after failures and runs after a worker died
	 * both count.
	 * @return the attempt
	 */
	int attempt();

	/**
	 * The number of this attempt's lease, larger than that of any earlier lease in the
	 * queue. A resource that remembers the largest token it saw can refuse the writes of
	 * a worker whose lease lapsed.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * For a run of a recurring task, the start of the period it runs for.
	 * @return the period's start, or empty
	 */
	Optional<Instant> period();

	/**
	 * Whether the job was told to stop while it runs: cancelled, timed out, its lease
	 * lost, or handed back because the node is stopping; or whether its lease has lapsed
	 * by the worker's own monotonic clock (a lease from when the claim or the last
	 * successful renewal was sent), even though no renewal has said so yet, as after a
	 * pause longer than the lease. The thread is interrupted too, and a job told to stop
	 * stays so; a job whose lease lapsed is handed back and runs again. Long work should
	 * check this between steps, and just before a side effect that must not happen twice;
	 * delivery is still at least once.
	 * @return whether to stop
	 */
	boolean isCancelled();

}
