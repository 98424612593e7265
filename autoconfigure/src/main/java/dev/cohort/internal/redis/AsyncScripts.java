package dev.cohort.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * Runs scripts without waiting for their reply on the caller's thread, for the hot paths
 * where that wait is a thread switch per call: on Lettuce's asynchronous commands of the
 * factory's connection ({@code EVALSHA}, then {@code EVAL} once if Redis does not know
 * the script yet). The reply arrives on a Lettuce event-loop thread: whoever handles it
 * there must not wait on Redis.
 */
public final class AsyncScripts {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			AsyncScripts.class.getClassLoader());

	private final LettuceConnectionFactory factory;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

	private AsyncScripts(LettuceConnectionFactory factory) {
		this.factory = factory;
	}

	/**
	 * Asynchronous scripts on a connection factory, if it is Lettuce's.
	 * @param factory the factory
	 * @return the scripts, or {@code null} for a factory of another kind
	 */
	public static @Nullable AsyncScripts of(@Nullable RedisConnectionFactory factory) {
		return (LETTUCE_PRESENT && factory instanceof LettuceConnectionFactory lettuce) ? new AsyncScripts(lettuce)
				: null;
	}

	/**
	 * Runs a script that answers a list.
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return its reply: numbers as {@code Long}, text as {@code String} (UTF-8), lists
	 * as {@code List}
	 */
	public CompletableFuture<List<Object>> list(RedisScript<?> script, List<String> keys, List<String> args) {
		return list(script, keys, args, false);
	}

	private CompletableFuture<List<Object>> list(RedisScript<?> script, List<String> keys, List<String> args,
			boolean mayConnect) {
		byte[][] keyBytes = bytes(keys);
		byte[][] argBytes = bytes(args);
		RedisClusterAsyncCommands<byte[], byte[]> commands;
		try {
			commands = commands(mayConnect);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return ClusterRetry.DEFAULT.callAsync(() -> LettuceScripts.run(commands, script, keyBytes, argBytes))
			.whenComplete((reply, ex) -> {
				if (ex != null) {
					failed(LettuceScripts.cause(ex));
				}
			})
			.thenApply(AsyncScripts::decoded);
	}

	/** A reply with its text decoded, as Spring Data's string templates answer. */
	@SuppressWarnings("unchecked")
	private static <T> T decoded(T reply) {
		if (reply instanceof byte[] text) {
			return (T) new String(text, StandardCharsets.UTF_8);
		}
		if (reply instanceof List<?> list) {
			List<Object> decoded = new ArrayList<>(list.size());
			for (Object element : list) {
				decoded.add(decoded(element));
			}
			return (T) decoded;
		}
		return reply;
	}

	/**
	 * Runs a script that answers a list, and waits for it as Spring Data's templates
	 * wait: up to the client's command timeout, its failures translated to Spring's
	 * {@link DataAccessException}s. It spares a hot path the template's work around the
	 * call.
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return its reply, as {@link #list} gives it
	 */
	public List<Object> listNow(RedisScript<?> script, List<String> keys, List<String> args) {
		Duration timeout = this.factory.getClientConfiguration().getCommandTimeout();
		try {
			return list(script, keys, args, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw LettuceScripts.translated(LettuceScripts.cause(ex.getCause() != null ? ex.getCause() : ex));
		}
		catch (TimeoutException ex) {
			throw LettuceScripts.translated(new RedisCommandTimeoutException("Command timed out after " + timeout));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw LettuceScripts.translated(new RedisCommandInterruptedException(ex));
		}
	}

	/**
	 * The factory's native asynchronous commands: its shared connection's, fetched once
	 * (the connection wrapper, closed at once, leaves that connection open) and again
	 * after a command failed for want of a connection. Fetching may connect, which an
	 * asynchronous call must not do on a Netty event-loop thread (it may be the
	 * connection's own): there it fails instead, and the next call from another thread
	 * fetches them. A caller that waits anyway may connect.
	 */
	private RedisClusterAsyncCommands<byte[], byte[]> commands(boolean mayConnect) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (commands != null) {
			return commands;
		}
		if (!mayConnect && Thread.currentThread() instanceof FastThreadLocalThread) {
			throw new IllegalStateException("No Redis connection to send on from an event-loop thread");
		}
		try (RedisConnection connection = this.factory.getConnection()) {
			commands = ((LettuceConnection) connection).getNativeConnection();
		}
		this.commands = commands;
		return commands;
	}

	/** Forgets the commands of a connection that failed: the next call fetches them. */
	private void failed(Throwable ex) {
		if (!(ex instanceof RedisCommandExecutionException)) {
			this.commands = null;
		}
	}

	private static byte[][] bytes(List<String> values) {
		byte[][] bytes = new byte[values.size()][];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

}
