package dev.cohort.rpc;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * The methods this node exposes to RPC calls. Nothing else can be called: a name that is
 * not here is answered with {@link RemoteCallException.Kind#UNKNOWN_METHOD}.
 */
public class RpcMethods {

	private final Map<String, Exposed> methods = new ConcurrentHashMap<>();

	/**
	 * Exposes a bean method.
	 * @param name the name callers use
	 * @param target the bean
	 * @param method the method
	 * @throws IllegalStateException if the name is taken
	 */
	public void expose(String name, Object target, Method method) {
		expose(name, target, method, true);
	}

	/**
	 * Exposes a bean method that may or may not block.
	 * @param name the name callers use
	 * @param target the bean
	 * @param method the method
	 * @param blocking whether the method may block; {@code false} promises that it never
	 * does (see {@link #exposeNonBlocking})
	 * @throws IllegalStateException if the name is taken
	 */
	public void expose(String name, Object target, Method method, boolean blocking) {
		ReflectionUtils.makeAccessible(method);
		add(name, new Exposed(method.getGenericParameterTypes(), (args) -> invoke(target, method, args), blocking));
	}

	/**
	 * Exposes a function of one argument.
	 * @param <P> the argument type
	 * @param name the name callers use
	 * @param argumentType the argument type
	 * @param function the function
	 * @throws IllegalStateException if the name is taken
	 */
	public <P> void expose(String name, Class<P> argumentType, Function<P, ?> function) {
		add(name, exposed(argumentType, function, true));
	}

	/**
	 * Exposes a function of one argument that promises never to block, and so runs on the
	 * thread that received the call, a Redis I/O thread, without the hand-off to an RPC
	 * thread (about 50 us a call on two CPUs, and a thread wake-up). It may compute, read
	 * memory, or hand work over; it must not wait on anything: no blocking I/O, no
	 * long-held locks, no call to Redis or another node that it waits for. A function
	 * that breaks the promise delays every message and Redis reply of the node's
	 * messaging connection while it runs.
	 * @param <P> the argument type
	 * @param name the name callers use
	 * @param argumentType the argument type
	 * @param function the function
	 * @throws IllegalStateException if the name is taken
	 * @see ClusterRpcMethod#blocking()
	 */
	public <P> void exposeNonBlocking(String name, Class<P> argumentType, Function<P, ?> function) {
		add(name, exposed(argumentType, function, false));
	}

	@SuppressWarnings("unchecked")
	private static <P> Exposed exposed(Class<P> argumentType, Function<P, ?> function, boolean blocking) {
		return new Exposed(new Type[] { argumentType }, (args) -> function.apply((P) args[0]), blocking);
	}

	private void add(String name, Exposed exposed) {
		Assert.hasText(name, "'name' must not be empty");
		if (this.methods.putIfAbsent(name, exposed) != null) {
			throw new IllegalStateException("An RPC method is already exposed as '" + name + "'");
		}
	}

	/**
	 * Finds an exposed method, for the RPC server that answers calls. Applications have
	 * no need for it.
	 * @param name the name callers use
	 * @return the method, or empty if nothing is exposed under that name
	 */
	public Optional<Exposed> find(String name) {
		return Optional.ofNullable(this.methods.get(name));
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * An exposed method: its parameter types and how to run it.
	 *
	 * @param parameterTypes the types arguments are mapped to
	 * @param invoker runs it
	 * @param blocking whether it may block; if not, it runs on the thread that received
	 * the call
	 */
	public record Exposed(Type[] parameterTypes, Invoker invoker, boolean blocking) {

	}

	/**
	 * Runs an exposed method.
	 */
	@FunctionalInterface
	public interface Invoker {

		/**
		 * Runs the method.
		 * @param args the arguments, mapped to the parameter types
		 * @return what the method returned
		 * @throws Throwable what the method threw
		 */
		Object invoke(Object[] args) throws Throwable;

	}

}
