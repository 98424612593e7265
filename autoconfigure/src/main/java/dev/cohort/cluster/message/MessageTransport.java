package dev.cohort.cluster.message;

import java.util.function.Consumer;

/**
 * Carries frames between the nodes of a cluster: Redis pub/sub, or memory for a solitary
 * node. It delivers every frame it receives, its own included, and leaves all checking to
 * {@link ClusterBus}.
 */
public interface MessageTransport {

	/**
	 * Starts delivering received frames. Delivery happens off the I/O threads.
	 * @param receiver what receives each frame
	 */
	void start(Consumer<byte[]> receiver);

	/**
	 * Sends a frame to every node.
	 * @param frame the frame
	 */
	void send(byte[] frame);

	/**
	 * Stops delivering frames.
	 */
	void stop();

}
