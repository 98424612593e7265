package dev.cohort.tasks;

import org.jspecify.annotations.Nullable;

/**
 * Hooks around the jobs of tasks: ActionHero's task middleware, as Spring beans. Every
 * bean of this type runs, in its {@code @Order}, for the tasks it
 * {@link #appliesTo(String) applies to} (all by default). ActionHero's four hooks map one
 * to one:
 * <ul>
 * <li>{@code preEnqueue}: {@link #beforeEnqueue}, on the node that enqueues, before the
 * arguments are checked; it may change the request (its arguments, queue or time) or
 * refuse it by throwing, and the caller gets the exception: nothing is enqueued.</li>
 * <li>{@code postEnqueue}: {@link #afterEnqueue}, once the job is stored. What it throws
 * is logged: the job is enqueued already.</li>
 * <li>{@code preProcessor}: {@link #beforeRun}, on the worker, before the task method. It
 * may refuse the run by throwing {@link TaskRefusedException}: the job then fails for
 * good (reason {@code refused}), or, for {@link TaskRefusedException#skip}, ends as done
 * without running. Anything else it throws fails the attempt, as if the task had.</li>
 * <li>{@code postProcessor}: {@link #afterRun}, after the task method, with its outcome,
 * in reverse order. What it throws is logged and changes nothing.</li>
 * </ul>
 * {@link #aroundRun} wraps the run itself, for what must enclose it (a context, a span, a
 * lock). Enqueue hooks run for the application's enqueues through {@link ClusterTasks};
 * the runs of recurring tasks, retries and failed jobs put back are not enqueues, and
 * meet the run hooks only.
 */
public interface TaskMiddleware {

	/**
	 * Whether this middleware applies to a task.
	 * @param task the task's name
	 * @return whether its hooks run for the task's jobs; all tasks by default
	 */
	default boolean appliesTo(String task) {
		return true;
	}

	/**
	 * A job is about to be enqueued.
	 * @param request what the caller asked for, as the middleware before this one left it
	 * @return the request to enqueue: this one, or one made from it (say with
	 * {@link JobRequest#args}); its task must stay the same
	 * @throws RuntimeException to refuse: the caller gets it, nothing is enqueued
	 */
	default JobRequest beforeEnqueue(JobRequest request) {
		return request;
	}

	/**
	 * A job was enqueued.
	 * @param request the request enqueued
	 * @param jobId its id (for a unique task, the id of the identical job that waited)
	 */
	default void afterEnqueue(JobRequest request, String jobId) {
	}

	/**
	 * A job is about to run on this worker.
	 * @param job the job
	 * @param arguments its arguments, read as the task's argument type, or {@code null}
	 * @throws TaskRefusedException to fail it for good, or skip it
	 * @throws Exception to fail the attempt (retried if the task has retries left)
	 */
	default void beforeRun(JobContext job, @Nullable Object arguments) throws Exception {
	}

	/**
	 * Runs the job, wrapped. The default only runs it.
	 * @param job the job
	 * @param arguments its arguments, or {@code null}
	 * @param run the run: the next middleware's wrap, and at last the task method; call
	 * it once
	 * @throws Exception what the run threw, or what the wrap throws: the attempt fails
	 */
	default void aroundRun(JobContext job, @Nullable Object arguments, Run run) throws Exception {
		run.proceed();
	}

	/**
	 * A run ended (one that passed every {@link #beforeRun}).
	 * @param job the job
	 * @param arguments its arguments, or {@code null}
	 * @param failure what the run threw, or {@code null} if it succeeded
	 */
	default void afterRun(JobContext job, @Nullable Object arguments, @Nullable Throwable failure) {
	}

	/**
	 * The rest of a run, given to {@link #aroundRun}.
	 */
	@FunctionalInterface
	interface Run {

		/**
		 * Runs the rest: the next wraps, then the task method.
		 * @throws Exception what it threw
		 */
		void proceed() throws Exception;

	}

}
