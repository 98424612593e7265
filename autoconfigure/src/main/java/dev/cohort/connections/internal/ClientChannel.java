package dev.cohort.connections.internal;

/**
 * The way to a client that this node holds: a WebSocket session, or anything else that
 * carries text frames. Sending must be safe from any thread, and must never block: room
 * events are sent to many members from threads that every node's messages share.
 */
public interface ClientChannel {

	/**
	 * Sends a text frame; a channel that is closing or too slow may drop it.
	 * @param frame the frame
	 */
	void send(String frame);

	/**
	 * Closes the channel.
	 * @param reason why
	 */
	void close(String reason);

}
