package dev.cohort.cluster;

import java.time.Duration;

/**
 * A write reached the Redis master, but fewer replicas than
 * {@code cluster.redis.wait-replicas} acknowledged it within
 * {@code cluster.redis.wait-timeout}. The write is on the master: it stays if the master
 * lives on, and is lost if the master fails before a replica copies it.
 */
public class NotReplicatedException extends ClusterException {

	private final long acknowledged;

	private final int required;

	/**
	 * Creates the exception.
	 * @param what what was written, such as "job 12 of queue default"
	 * @param acknowledged how many replicas acknowledged the write in time
	 * @param required how many were required
	 * @param timeout how long Cohort waited
	 */
	public NotReplicatedException(String what, long acknowledged, int required, Duration timeout) {
		super("The write of " + what + " reached the Redis master, but only " + acknowledged + " of the " + required
				+ " replica(s) required (cluster.redis.wait-replicas) acknowledged it within " + timeout
				+ " (cluster.redis.wait-timeout): it is on the master, and is lost if the master fails before a "
				+ "replica copies it");
		this.acknowledged = acknowledged;
		this.required = required;
	}

	/**
	 * How many replicas acknowledged the write in time.
	 * @return the replicas that acknowledged
	 */
	public long acknowledged() {
		return this.acknowledged;
	}

	/**
	 * How many replicas were required.
	 * @return {@code cluster.redis.wait-replicas}
	 */
	public int required() {
		return this.required;
	}

}
