package dev.cohort.tasks.internal;

import java.util.List;

import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.TaskMiddleware;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The application's {@link TaskMiddleware}, in order, called as its contract says: on the
 * node that enqueues, and on the worker that runs. Shared by both transports, which
 * differ only in their store.
 */
public final class TaskMiddlewareChain {

	/** No middleware: every hook is skipped without a cost. */
	public static final TaskMiddlewareChain NONE = new TaskMiddlewareChain(List.of());

	private static final Log logger = LogFactory.getLog(TaskMiddlewareChain.class);

	private final List<TaskMiddleware> middleware;

	/**
	 * A chain.
	 * @param middleware the middleware, in the order it runs
	 */
	public TaskMiddlewareChain(List<TaskMiddleware> middleware) {
		this.middleware = List.copyOf(middleware);
	}

	/**
	 * Passes a request through every {@link TaskMiddleware#beforeEnqueue}; what one
	 * throws reaches the caller.
	 */
	JobRequest beforeEnqueue(JobRequest request) {
		JobRequest current = request;
		for (TaskMiddleware middleware : applying(request.getTask())) {
			JobRequest changed = middleware.beforeEnqueue(current);
			if (changed == null || !changed.getTask().equals(request.getTask())) {
				throw new IllegalStateException(middleware.getClass().getName()
						+ ".beforeEnqueue must return a request of task '" + request.getTask() + "', not "
						+ ((changed != null) ? "one of task '" + changed.getTask() + "'" : "null"));
			}
			current = changed;
		}
		return current;
	}

	/** Tells every {@link TaskMiddleware#afterEnqueue}; what one throws is logged. */
	void afterEnqueue(JobRequest request, String jobId) {
		for (TaskMiddleware middleware : applying(request.getTask())) {
			try {
				middleware.afterEnqueue(request, jobId);
			}
			catch (RuntimeException ex) {
				logger.warn("Task middleware " + middleware.getClass().getName() + " failed after job " + jobId
						+ " of task '" + request.getTask() + "' was enqueued; the job stays enqueued", ex);
			}
		}
	}

	/**
	 * Runs a job through the middleware: every {@code beforeRun} in order, the wraps
	 * nested (the first outermost) around the task method, then every {@code afterRun} in
	 * reverse order.
	 * @throws Exception what a {@code beforeRun}, a wrap or the task threw
	 */
	void run(JobContext job, @Nullable Object arguments, TaskMiddleware.Run task) throws Exception {
		List<TaskMiddleware> applying = applying(job.task());
		if (applying.isEmpty()) {
			task.proceed();
			return;
		}
		for (TaskMiddleware middleware : applying) {
			middleware.beforeRun(job, arguments);
		}
		Throwable failure = null;
		try {
			wrapped(applying, 0, job, arguments, task).proceed();
		}
		catch (Exception | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			for (int i = applying.size() - 1; i >= 0; i--) {
				afterRun(applying.get(i), job, arguments, failure);
			}
		}
	}

	private static TaskMiddleware.Run wrapped(List<TaskMiddleware> applying, int index, JobContext job,
			@Nullable Object arguments, TaskMiddleware.Run task) {
		if (index == applying.size()) {
			return task;
		}
		TaskMiddleware.Run inner = wrapped(applying, index + 1, job, arguments, task);
		return () -> applying.get(index).aroundRun(job, arguments, inner);
	}

	private static void afterRun(TaskMiddleware middleware, JobContext job, @Nullable Object arguments,
			@Nullable Throwable failure) {
		try {
			middleware.afterRun(job, arguments, failure);
		}
		catch (RuntimeException ex) {
			logger.warn("Task middleware " + middleware.getClass().getName() + " failed after a run of job "
					+ job.jobId() + " of task '" + job.task() + "'; the run's outcome stands", ex);
		}
	}

	private List<TaskMiddleware> applying(String task) {
		if (this.middleware.isEmpty()) {
			return this.middleware;
		}
		return this.middleware.stream().filter((middleware) -> middleware.appliesTo(task)).toList();
	}

}
