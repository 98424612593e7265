package dev.cohort.sample.chat;

import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.ConnectionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Logs each WebSocket connection this node opens and closes, with its user, at DEBUG
 * ({@code logging.level.dev.cohort.sample.chat=debug} to see them): what an application
 * would write to an audit log. It runs on the node that holds the connection.
 */
@Component
class ConnectionLog implements ConnectionListener {

	private static final Log logger = LogFactory.getLog(ConnectionLog.class);

	@Override
	public void opened(ConnectionInfo connection) {
		if (logger.isDebugEnabled()) {
			logger.debug("User " + connection.user() + " connected from " + connection.remoteAddress());
		}
	}

	@Override
	public void closed(ConnectionInfo connection) {
		if (logger.isDebugEnabled()) {
			logger.debug("User " + connection.user() + " disconnected, leaving " + connection.rooms());
		}
	}

}
