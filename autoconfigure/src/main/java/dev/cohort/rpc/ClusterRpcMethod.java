package dev.cohort.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exposes a bean method to {@link ClusterRpc} calls from other nodes under a name. Only
 * methods exposed this way (or with {@link RpcMethods#expose}) can be called. Arguments
 * are mapped from JSON to the declared parameter types; the return value goes back as
 * JSON. On an interface given to {@link ClusterRpc#client}, it names the method to call.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterRpcMethod {

	/**
	 * The name callers use.
	 * @return the name
	 */
	String value();

	/**
	 * Whether the method may block. {@code false} promises that it never does (see
	 * {@link RpcMethods#exposeNonBlocking}): it then runs on the thread that received the
	 * call, without a hand-off to an RPC thread. Ignored on a client interface.
	 * @return whether the method may block; {@code true} by default
	 */
	boolean blocking() default true;

}
