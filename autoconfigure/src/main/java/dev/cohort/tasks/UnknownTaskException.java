package dev.cohort.tasks;

import dev.cohort.cluster.ClusterException;

/**
 * A job names a task that the worker that took it does not know. It fails at once,
 * without retries: define the task on every worker node that takes its queue.
 */
public class UnknownTaskException extends ClusterException {

	public UnknownTaskException(String task) {
		super("No task named '" + task + "' is defined on this node");
	}

}
