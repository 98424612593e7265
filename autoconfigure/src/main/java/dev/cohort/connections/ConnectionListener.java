package dev.cohort.connections;

/**
 * Hears of the WebSocket connections a node opens and closes (ActionHero's connection
 * {@code create} and {@code destroy} middleware). Beans of this type run in their
 * {@code @Order}, on the node that holds the connection, on the connection's own thread
 * (its requests wait meanwhile, so a listener should be quick). A listener that throws is
 * logged; the others still run and the connection is not affected. A listener cannot
 * refuse a connection: refuse the handshake instead (Spring Security, or a
 * {@code HandshakeInterceptor}), before the connection exists.
 */
public interface ConnectionListener {

	/**
	 * A connection opened: it is in the directory, and its client has been sent its
	 * {@code welcome}, so what the listener sends it arrives after that.
	 * @param connection the connection, with its user, and attributes as yet empty but
	 * for its user
	 */
	default void opened(ConnectionInfo connection) {
	}

	/**
	 * A connection closed, whatever closed it (its client, the server, the node
	 * stopping): it has left the directory, and its rooms have been told.
	 * @param connection the connection as it was last, with its attributes and the rooms
	 * it was in
	 */
	default void closed(ConnectionInfo connection) {
	}

}
