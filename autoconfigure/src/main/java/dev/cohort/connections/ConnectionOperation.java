package dev.cohort.connections;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Something to do to a connection on the node that holds it, through
 * {@link ClusterConnections#apply(String, ConnectionOperation)}.
 *
 * @param kind what to do
 * @param name the attribute's or room's name, or the reason of a disconnect
 * @param value the attribute's value or the message to send
 */
public record ConnectionOperation(Kind kind, @Nullable String name, @Nullable Object value) {

	/**
	 * Sets an attribute.
	 * @param name the attribute
	 * @param value its value, which must map to JSON
	 * @return the operation
	 */
	public static ConnectionOperation setAttribute(String name, Object value) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(value, "'value' must not be null (use removeAttribute)");
		return new ConnectionOperation(Kind.SET_ATTRIBUTE, name, value);
	}

	/**
	 * Removes an attribute.
	 * @param name the attribute
	 * @return the operation
	 */
	public static ConnectionOperation removeAttribute(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return new ConnectionOperation(Kind.REMOVE_ATTRIBUTE, name, null);
	}

	/**
	 * Sends the client a {@code message} event.
	 * @param message the message, which must map to JSON
	 * @return the operation
	 */
	public static ConnectionOperation send(Object message) {
		return new ConnectionOperation(Kind.SEND, null, message);
	}

	/**
	 * Adds the connection to a room.
	 * @param room the room
	 * @return the operation
	 */
	public static ConnectionOperation join(String room) {
		Assert.hasText(room, "'room' must not be empty");
		return new ConnectionOperation(Kind.JOIN, room, null);
	}

	/**
	 * Removes the connection from a room.
	 * @param room the room
	 * @return the operation
	 */
	public static ConnectionOperation leave(String room) {
		Assert.hasText(room, "'room' must not be empty");
		return new ConnectionOperation(Kind.LEAVE, room, null);
	}

	/**
	 * Sends the client a {@code disconnect} event and closes the connection.
	 * @param reason why, shown to the client
	 * @return the operation
	 */
	public static ConnectionOperation disconnect(String reason) {
		return new ConnectionOperation(Kind.DISCONNECT, reason, null);
	}

	/**
	 * What an operation does.
	 */
	public enum Kind {

		/** Set an attribute. */
		SET_ATTRIBUTE,

		/** Remove an attribute. */
		REMOVE_ATTRIBUTE,

		/** Send a message. */
		SEND,

		/** Join a room. */
		JOIN,

		/** Leave a room. */
		LEAVE,

		/** Close the connection. */
		DISCONNECT

	}

}
