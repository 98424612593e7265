package dev.cohort.connections.internal;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The limits of the WebSocket endpoint (the {@code cluster.connections.*} properties).
 *
 * @param maxMessageSize the largest frame a client may send, in bytes
 * @param threads how many threads run the connections' work
 * @param maxQueuedRequests how many frames of one connection may wait for a thread;
 * beyond, a frame is answered {@code busy}
 * @param sendBufferLimit how many characters of frames may wait to be written to one
 * client
 * @param sendTimeLimit how long a frame may wait to be written to a client
 * @param messagesPerSecond how many frames per second a client may send on average, 0 for
 * no limit
 * @param messageBurst how many frames a client may send at once
 * @param maxConnections how many connections the node holds at most, 0 for no limit
 * @param maxRoomsPerConnection how many rooms a client may join, 0 for no limit
 * @param maxBatchSize how many characters one message of several frames carries at most,
 * for the clients that take them; 0 to write each frame on its own
 */
public record WebSocketLimits(int maxMessageSize, int threads, int maxQueuedRequests, long sendBufferLimit,
		Duration sendTimeLimit, int messagesPerSecond, int messageBurst, int maxConnections, int maxRoomsPerConnection,
		int maxBatchSize) {

	/** The defaults, as the properties'. */
	public static final WebSocketLimits DEFAULTS = new WebSocketLimits(64 * 1024, 8, 32, 512 * 1024,
			Duration.ofSeconds(10), 100, 200, 10_000, 100, 16 * 1024);

	public WebSocketLimits {
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		Assert.isTrue(threads > 0, "'threads' must be positive");
		Assert.isTrue(maxQueuedRequests > 0, "'maxQueuedRequests' must be positive");
		Assert.isTrue(sendBufferLimit > 0, "'sendBufferLimit' must be positive");
		Assert.isTrue(sendTimeLimit.toMillis() > 0, "'sendTimeLimit' must be positive");
		Assert.isTrue(messagesPerSecond >= 0, "'messagesPerSecond' must not be negative");
		Assert.isTrue(messageBurst > 0, "'messageBurst' must be positive");
		Assert.isTrue(maxConnections >= 0, "'maxConnections' must not be negative");
		Assert.isTrue(maxRoomsPerConnection >= 0, "'maxRoomsPerConnection' must not be negative");
		Assert.isTrue(maxBatchSize >= 0, "'maxBatchSize' must not be negative");
	}

	/**
	 * These limits with another largest frame.
	 * @param size the largest frame a client may send, in bytes
	 * @return the limits
	 */
	public WebSocketLimits withMaxMessageSize(int size) {
		return new WebSocketLimits(size, this.threads, this.maxQueuedRequests, this.sendBufferLimit, this.sendTimeLimit,
				this.messagesPerSecond, this.messageBurst, this.maxConnections, this.maxRoomsPerConnection,
				this.maxBatchSize);
	}

}
