package dev.cohort.pubsub;

/**
 * Handles the messages of one type.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface ClusterMessageHandler<T> {

	/**
	 * Handles one message.
	 * @param payload the payload
	 * @param metadata where it came from and when
	 */
	void handle(T payload, MessageMetadata metadata);

}
