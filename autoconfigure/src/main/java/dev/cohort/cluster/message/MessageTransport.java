package dev.cohort.cluster.message;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Carries frames between the nodes of a cluster: Redis pub/sub, or memory for a solitary
 * node. It delivers the broadcasts and the frames addressed to this node, its own
 * included, and leaves all checking to Cohort's message bus. It must not block while
 * delivering.
 */
public interface MessageTransport {

	/**
	 * Starts delivering received frames: those sent to every node and those sent to this
	 * node.
	 * @param nodeId this node's id
	 * @param receiver what receives each frame
	 */
	void start(String nodeId, Consumer<byte[]> receiver);

	/**
	 * Sends a frame.
	 * @param target {@code "*"} (every node) or the id of the node the frame is for; the
	 * transport may use it to spare the other nodes, but the signed envelope still
	 * carries it
	 * @param frame the frame
	 */
	void send(String target, byte[] frame);

	/**
	 * Sends a frame without waiting for the transport to accept it, so that a caller can
	 * have many in flight.
	 * @param target {@code "*"} (every node) or the id of the node the frame is for
	 * @param frame the frame
	 * @return completes when the transport has accepted the frame, or exceptionally
	 */
	default CompletableFuture<Void> sendAsync(String target, byte[] frame) {
		try {
			send(target, frame);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Stops delivering frames.
	 */
	void stop();

}
