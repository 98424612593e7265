package dev.cohort.connections;

import dev.cohort.cluster.ClusterException;

/**
 * A sign-in ({@link ConnectionOperation#signIn}) was refused: the secret is not the
 * connection's, or the attribute is set already. Nothing changed.
 */
public class SignInRefusedException extends ClusterException {

	public SignInRefusedException(String message) {
		super(message);
	}

}
