package dev.cohort.chat;

import dev.cohort.cluster.ClusterException;

/**
 * A room operation could not be done: the room does not exist, or the connection is not
 * in it.
 */
public class ChatRoomException extends ClusterException {

	private final String code;

	public ChatRoomException(String code, String message) {
		super(message);
		this.code = code;
	}

	/**
	 * The protocol's error code: {@code no-such-room} or {@code not-member}.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

}
