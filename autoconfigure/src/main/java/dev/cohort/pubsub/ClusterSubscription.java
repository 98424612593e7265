package dev.cohort.pubsub;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of one message type. The method takes the payload,
 * mapped from JSON to the parameter's declared type, and may take a
 * {@link MessageMetadata} as its second parameter.
 *
 * <pre class="code">
 * &#64;ClusterSubscription("price-changed")
 * void onPriceChanged(PriceChanged change) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterSubscription {

	/**
	 * The message type.
	 * @return the type name
	 */
	String value();

	/**
	 * Whether the method may block. {@code false} promises that it never does (see
	 * {@link ClusterPubSub#subscribeNonBlocking}): it then runs on the thread that
	 * received the message, without a hand-off to a handler thread.
	 * @return whether the method may block; {@code true} by default
	 */
	boolean blocking() default true;

}
