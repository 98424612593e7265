package dev.cohort.autoconfigure;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Sizes the socket read and write buffers that Tomcat allocates on the heap for every
 * connection, and keeps for as long as it is open: 8KB each by Tomcat's default, the
 * largest part of an idle WebSocket connection's cost. Ordered first, so that a
 * {@link TomcatConnectorCustomizer} of the application can set other sizes.
 */
final class TomcatSocketBuffers implements TomcatConnectorCustomizer, Ordered {

	private final DataSize size;

	/**
	 * Sets both buffers to the given size.
	 * @param size the size of each buffer, 0 to leave Tomcat's settings alone
	 */
	TomcatSocketBuffers(DataSize size) {
		this.size = size;
	}

	@Override
	public void customize(Connector connector) {
		if (this.size.toBytes() > 0) {
			String bytes = String.valueOf(this.size.toBytes());
			connector.setProperty("socket.appReadBufSize", bytes);
			connector.setProperty("socket.appWriteBufSize", bytes);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
