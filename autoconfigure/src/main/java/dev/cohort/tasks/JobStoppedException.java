package dev.cohort.tasks;

import dev.cohort.cluster.ClusterException;

/**
 * A job was told to stop (cancelled, timed out, or its lease lost) and its task returned
 * as if it had finished: the attempt does not count as done.
 */
public class JobStoppedException extends ClusterException {

	public JobStoppedException(String reason) {
		super("The job was stopped: " + reason);
	}

}
