package dev.cohort.pubsub;

/**
 * A handler's registration.
 */
@FunctionalInterface
public interface Subscription {

	/**
	 * Removes the handler; messages that arrive afterwards do not reach it. Calling it
	 * again does nothing.
	 */
	void cancel();

}
