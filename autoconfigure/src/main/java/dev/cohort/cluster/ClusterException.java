package dev.cohort.cluster;

import org.jspecify.annotations.Nullable;

/**
 * Root of the exceptions that Cohort itself raises. Failures of Redis reach callers as
 * Spring's {@code DataAccessException} instead.
 */
public class ClusterException extends RuntimeException {

	public ClusterException(String message) {
		super(message);
	}

	public ClusterException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
