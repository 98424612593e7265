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
 */
public record WebSocketLimits(int maxMessageSize, int threads, int maxQueuedRequests, long sendBufferLimit,
		Duration sendTimeLimit) {

	/** The defaults, as the properties'. */
	public static final WebSocketLimits DEFAULTS = new WebSocketLimits(64 * 1024, 8, 32, 512 * 1024,
			Duration.ofSeconds(10));

	public WebSocketLimits {
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		Assert.isTrue(threads > 0, "'threads' must be positive");
		Assert.isTrue(maxQueuedRequests > 0, "'maxQueuedRequests' must be positive");
		Assert.isTrue(sendBufferLimit > 0, "'sendBufferLimit' must be positive");
		Assert.isTrue(sendTimeLimit.toMillis() > 0, "'sendTimeLimit' must be positive");
	}

}
