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
 * @param secret the connection's secret, for a sign-in
 */
public record ConnectionOperation(Kind kind, @Nullable String name, @Nullable Object value, @Nullable String secret) {

	/**
	 * An operation without a secret.
	 * @param kind what to do
	 * @param name the attribute's or room's name, or the reason of a disconnect
	 * @param value the attribute's value or the message to send
	 */
	public ConnectionOperation(Kind kind, @Nullable String name, @Nullable Object value) {
		this(kind, name, value, null);
	}

	/**
	 * Sets an attribute.
	 * @param name the attribute
	 * @param value its value, which must map to JSON
	 * @return the operation
	 */
	public static ConnectionOperation setAttribute(String name, Object value) {
		checkAttributeName(name);
		Assert.notNull(value, "'value' must not be null (use removeAttribute)");
		return new ConnectionOperation(Kind.SET_ATTRIBUTE, name, value);
	}

	/**
	 * Signs a connection in: sets an attribute, such as {@code auth}, only if the secret
	 * is the one the connection's client got in its {@code welcome} frame and the
	 * attribute is not set yet, both checked and the attribute set in one step on the
	 * node that holds the connection. Anyone may learn a connection's id (its rooms'
	 * members do); only its client knows its secret. Otherwise the operation throws
	 * {@link SignInRefusedException} and changes nothing.
	 * @param secret the secret the client sent along
	 * @param name the attribute
	 * @param value its value, which must map to JSON
	 * @return the operation
	 */
	public static ConnectionOperation signIn(String secret, String name, Object value) {
		Assert.hasText(secret, "'secret' must not be empty");
		checkAttributeName(name);
		Assert.notNull(value, "'value' must not be null");
		return new ConnectionOperation(Kind.SIGN_IN, name, value, secret);
	}

	/**
	 * Removes an attribute.
	 * @param name the attribute
	 * @return the operation
	 */
	public static ConnectionOperation removeAttribute(String name) {
		checkAttributeName(name);
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
	 * Describes the operation, without its secret.
	 * @return the description
	 */
	@Override
	public String toString() {
		return "ConnectionOperation[kind=" + this.kind + ", name=" + this.name + ", value=" + this.value
				+ ((this.secret != null) ? ", secret=(hidden)]" : "]");
	}

	/**
	 * What an operation does.
	 */
	public enum Kind {

		/** Set an attribute. */
		SET_ATTRIBUTE,

		/** Set an attribute that is not set, given the connection's secret. */
		SIGN_IN,

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

	/**
	 * The connection's user comes from its handshake only: no operation sets or removes
	 * it.
	 */
	private static void checkAttributeName(String name) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.isTrue(!ConnectionInfo.USER_ATTRIBUTE.equals(name),
				"'" + ConnectionInfo.USER_ATTRIBUTE + "' is the connection's user, set by its handshake only");
	}

}
