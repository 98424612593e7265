package dev.cohort.tasks;

import org.jspecify.annotations.Nullable;

/**
 * Runs one job of a task. What it throws fails the attempt.
 */
@FunctionalInterface
public interface TaskHandler {

	/**
	 * Runs a job.
	 * @param arguments the job's arguments, mapped to the task's argument type, or
	 * {@code null}
	 * @param job the running job
	 * @throws Exception if the attempt fails
	 */
	void run(@Nullable Object arguments, JobContext job) throws Exception;

}
