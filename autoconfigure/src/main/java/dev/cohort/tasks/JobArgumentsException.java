package dev.cohort.tasks;

import java.lang.reflect.Type;

import dev.cohort.cluster.ClusterException;

/**
 * A job's arguments do not map to its task's argument type. It fails at once, without
 * retries, since trying again would not change them.
 */
public class JobArgumentsException extends ClusterException {

	public JobArgumentsException(JobRecord job, TaskDefinition task, Throwable cause) {
		super("The arguments of job " + job.id() + " do not map to " + argumentType(task)
				+ ", the argument type of task '" + task.name() + "': " + cause.getMessage(), cause);
	}

	private static String argumentType(TaskDefinition task) {
		Type type = task.argumentType();
		return (type != null) ? type.getTypeName() : "no arguments";
	}

}
