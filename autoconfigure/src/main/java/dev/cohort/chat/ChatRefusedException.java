package dev.cohort.chat;

import dev.cohort.cluster.ClusterException;

/**
 * A chat middleware refused a join, leave or say. Its message reaches the client in an
 * {@code error} frame with code {@code refused}.
 */
public class ChatRefusedException extends ClusterException {

	public ChatRefusedException(String message) {
		super(message);
	}

}
