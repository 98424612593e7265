package dev.cohort.rpc.internal;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ClusterRpcMethod;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * {@link ClusterRpc} on an {@link RpcClient}, with a timeout and a choice about calling
 * this node in broadcasts. {@link #withTimeout} and {@link #excludingSelf} return views
 * that share the client.
 */
public class DefaultClusterRpc implements ClusterRpc {

	private final RpcClient client;

	private final JsonMapper mapper;

	private final Duration timeout;

	private final boolean includeSelf;

	/**
	 * Creates the RPC of one node.
	 * @param client makes the calls
	 * @param mapper maps results
	 * @param timeout how long calls wait for answers
	 */
	public DefaultClusterRpc(RpcClient client, JsonMapper mapper, Duration timeout) {
		this(client, mapper, timeout, true);
	}

	private DefaultClusterRpc(RpcClient client, JsonMapper mapper, Duration timeout, boolean includeSelf) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.client = client;
		this.mapper = mapper;
		this.timeout = timeout;
		this.includeSelf = includeSelf;
	}

	@Override
	public <T> CompletableFuture<T> call(String nodeId, String method, Class<T> resultType, @Nullable Object... args) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		return this.client.call(nodeId, checked(method), this.mapper.constructType(resultType), args, this.timeout);
	}

	@Override
	public <T> CompletableFuture<T> call(String nodeId, String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... args) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		return this.client.call(nodeId, checked(method), this.mapper.constructType(resultType.getType()), args,
				this.timeout);
	}

	@Override
	public <T> CompletableFuture<BroadcastResult<T>> broadcast(String method, Class<T> resultType,
			@Nullable Object... args) {
		return this.client.broadcast(checked(method), this.mapper.constructType(resultType), args, this.timeout,
				this.includeSelf);
	}

	@Override
	public <T> CompletableFuture<T> callConnection(String connectionId, String method, Class<T> resultType,
			@Nullable Object... args) {
		return call(this.client.nodeOfConnection(connectionId), method, resultType, args);
	}

	@Override
	public void send(String nodeId, String method, @Nullable Object... args) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		this.client.sendOnly(nodeId, checked(method), args);
	}

	@Override
	public void sendAll(String method, @Nullable Object... args) {
		this.client.sendToAll(checked(method), args, this.includeSelf);
	}

	@Override
	public void sendConnection(String connectionId, String method, @Nullable Object... args) {
		send(this.client.nodeOfConnection(connectionId), method, args);
	}

	@Override
	public ClusterRpc withTimeout(Duration timeout) {
		return new DefaultClusterRpc(this.client, this.mapper, timeout, this.includeSelf);
	}

	@Override
	public ClusterRpc excludingSelf() {
		return new DefaultClusterRpc(this.client, this.mapper, this.timeout, false);
	}

	@Override
	public <C> C client(Class<C> api, String nodeId) {
		Assert.isTrue(api.isInterface(), "'api' must be an interface");
		Object proxy = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] { api }, (instance, method,
				args) -> invoke(api, instance, method, (args != null) ? args : new Object[0], nodeId));
		return api.cast(proxy);
	}

	private @Nullable Object invoke(Class<?> api, Object proxy, Method method, Object[] args, String nodeId)
			throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> "ClusterRpc client of " + api.getName() + " on " + nodeId;
				default -> ReflectionUtils.invokeMethod(method, this);
			};
		}
		ClusterRpcMethod annotation = AnnotatedElementUtils.findMergedAnnotation(method, ClusterRpcMethod.class);
		String name = (annotation != null) ? annotation.value() : method.getName();
		boolean async = CompletableFuture.class.isAssignableFrom(method.getReturnType());
		Type resultType = async ? futureValueType(method.getGenericReturnType()) : method.getGenericReturnType();
		JavaType javaType = this.mapper.constructType((resultType == void.class) ? Void.class : resultType);
		CompletableFuture<Object> result = this.client.call(nodeId, checked(name), javaType, args, this.timeout);
		if (async) {
			return result;
		}
		try {
			return result.get();
		}
		catch (ExecutionException | CompletionException ex) {
			throw ex.getCause();
		}
	}

	private static Type futureValueType(Type futureType) {
		return (futureType instanceof ParameterizedType parameterized) ? parameterized.getActualTypeArguments()[0]
				: Object.class;
	}

	private static String checked(String method) {
		Assert.hasText(method, "'method' must not be empty");
		return method;
	}

}
