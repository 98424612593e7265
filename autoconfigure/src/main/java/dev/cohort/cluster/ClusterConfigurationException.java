package dev.cohort.cluster;

import org.jspecify.annotations.Nullable;

/**
 * A misconfiguration found at start-up. It carries what is wrong and what to set, so that
 * Spring Boot's failure analysis can print both.
 */
public class ClusterConfigurationException extends ClusterException {

	private final String action;

	public ClusterConfigurationException(String description, String action) {
		this(description, action, null);
	}

	public ClusterConfigurationException(String description, String action, @Nullable Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * The failure to use Redis at start-up: unreachable, or refusing Cohort's commands.
	 * @param what what could not be done, such as "Node 'a' could not join the cluster"
	 * @param cause the failure
	 * @return the exception
	 */
	public static ClusterConfigurationException redisUnreachable(String what,
			org.springframework.dao.DataAccessException cause) {
		return new ClusterConfigurationException(
				what + ": Redis is unreachable or refused the command (" + cause.getMostSpecificCause().getMessage()
						+ ")",
				"Start Redis and point spring.data.redis.host/port (or spring.data.redis.url; "
						+ "cluster.messages.redis.* when the message bus has a Redis of its own) at it, with the "
						+ "right spring.data.redis.username/password and an ACL that allows Cohort's commands "
						+ "(see docs/security.md). To run a solitary node without Redis, set "
						+ "cluster.transport=local.",
				cause);
	}

	/**
	 * What the user should do to fix the problem.
	 * @return the action, never {@code null}
	 */
	public String getAction() {
		return this.action;
	}

}
