package dev.cohort.internal.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.NotReplicatedException;
import dev.cohort.internal.RateLimitedLog;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * Writes that return only once replicas have them ({@code cluster.redis.wait-replicas}):
 * each script runs on a connection of its own, followed on that same connection by
 * {@code WAIT <replicas> <timeout>}, which counts the replicas that acknowledged every
 * write the connection made so far. The connections are Cohort's own, not the one every
 * other command shares: {@code WAIT} holds its connection until the replicas answer,
 * which would hold up everything else sent meanwhile. Nothing here waits on the caller's
 * thread unless asked to, so that the settle of a job may run where nothing may wait on
 * Redis.
 * <p>
 * Only on one Redis, alone or under Sentinel, with Lettuce: on a Redis Cluster,
 * {@code WAIT} must reach the master of the key's slot, which this does not do, and
 * start-up fails.
 */
public final class ReplicaWait implements AutoCloseable {

	/** The connections that durable writes share, in turn. */
	static final int CONNECTIONS = 4;

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(ReplicaWait.class), 10_000);

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			ReplicaWait.class.getClassLoader());

	private final LettuceConnectionFactory factory;

	private final int replicas;

	private final Duration timeout;

	private final ClusterMetrics metrics;

	private final AtomicReferenceArray<@Nullable CompletableFuture<StatefulRedisConnection<String, String>>> connections = new AtomicReferenceArray<>(
			CONNECTIONS);

	private final AtomicInteger next = new AtomicInteger();

	private ReplicaWait(LettuceConnectionFactory factory, int replicas, Duration timeout, ClusterMetrics metrics) {
		this.factory = factory;
		this.replicas = replicas;
		this.timeout = timeout;
		this.metrics = metrics;
	}

	/**
	 * Durable writes on a connection factory, if replicas are to be waited for.
	 * @param factory the factory of the store's Redis
	 * @param replicas {@code cluster.redis.wait-replicas}: 0 for none
	 * @param timeout {@code cluster.redis.wait-timeout}
	 * @param metrics where writes that missed replicas are counted
	 * @return the durable writes, or {@code null} if no replica is to be waited for
	 * @throws ClusterConfigurationException on a Redis Cluster, or with a client other
	 * than Lettuce
	 */
	public static @Nullable ReplicaWait of(RedisConnectionFactory factory, int replicas, Duration timeout,
			ClusterMetrics metrics) {
		if (replicas <= 0) {
			return null;
		}
		if (!LETTUCE_PRESENT || !(factory instanceof LettuceConnectionFactory lettuce)) {
			throw new ClusterConfigurationException(
					"cluster.redis.wait-replicas=" + replicas + " needs the Lettuce client, not "
							+ factory.getClass().getName(),
					"Use Lettuce (spring-boot-starter-data-redis' default), or unset cluster.redis.wait-replicas.");
		}
		if (lettuce.isClusterAware()) {
			throw new ClusterConfigurationException(
					"cluster.redis.wait-replicas=" + replicas + " is not supported on a Redis Cluster: "
							+ "Cohort waits for replicas only on one Redis, alone or under Sentinel",
					"Unset cluster.redis.wait-replicas, or point spring.data.redis at a Redis with replicas "
							+ "under Sentinel (spring.data.redis.sentinel.*).");
		}
		return new ReplicaWait(lettuce, replicas, timeout, metrics);
	}

	/**
	 * How many replicas each write waits for.
	 * @return {@code cluster.redis.wait-replicas}
	 */
	public int replicas() {
		return this.replicas;
	}

	/**
	 * Runs a script, then waits for the replicas, without waiting on the caller's thread.
	 * @param <T> the script's reply
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return its reply (numbers as {@code Long}, text as {@code String}, lists as
	 * {@code List}) and how many replicas acknowledged it
	 */
	public <T> CompletableFuture<Replicated<T>> run(RedisScript<T> script, List<String> keys, List<String> args) {
		String[] keyArray = keys.toArray(String[]::new);
		String[] argArray = args.toArray(String[]::new);
		return connection().thenCompose((connection) -> {
			RedisAsyncCommands<String, String> commands = connection.async();
			ScriptOutputType type = outputType(script);
			// Both sent at once; WAIT counts the replicas that have every write of this
			// connection so far, the script's included.
			CompletableFuture<T> reply = commands.<T>evalsha(script.getSha1(), type, keyArray, argArray)
				.toCompletableFuture();
			CompletableFuture<Long> acknowledged = waitForReplicas(commands);
			return reply.handle((value, ex) -> {
				if (ex == null) {
					return acknowledged.thenApply((count) -> new Replicated<>(value, count));
				}
				if (LettuceScripts.cause(ex) instanceof RedisNoScriptException) {
					// Redis lost its scripts (a restart, a SCRIPT FLUSH): run the text,
					// and
					// wait again.
					CompletableFuture<T> again = commands.<T>eval(script.getScriptAsString(), type, keyArray, argArray)
						.toCompletableFuture();
					CompletableFuture<Long> acknowledgedAgain = waitForReplicas(commands);
					return again.thenCombine(acknowledgedAgain, Replicated::new);
				}
				return CompletableFuture.<Replicated<T>>failedFuture(LettuceScripts.cause(ex));
			}).thenCompose((stage) -> stage);
		});
	}

	/**
	 * Runs a script, then waits for the replicas, on the caller's thread: up to the
	 * client's command timeout and the wait for the replicas, failures translated to
	 * Spring's {@code DataAccessException}s.
	 * @param <T> the script's reply
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return what {@link #run} answers
	 */
	public <T> Replicated<T> runNow(RedisScript<T> script, List<String> keys, List<String> args) {
		Duration limit = commandTimeout();
		try {
			return run(script, keys, args).get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw LettuceScripts.translated(LettuceScripts.cause((ex.getCause() != null) ? ex.getCause() : ex));
		}
		catch (TimeoutException ex) {
			throw LettuceScripts.translated(new RedisCommandTimeoutException("Command timed out after " + limit));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw LettuceScripts.translated(new RedisCommandInterruptedException(ex));
		}
	}

	/**
	 * The reply of a write that must have reached the replicas: one that missed them is
	 * counted, and fails.
	 * @param <T> the reply's type
	 * @param replicated the write
	 * @param operation what was written, for the metric: enqueue, recurring, lock...
	 * @param what what was written, for the message
	 * @return the reply
	 * @throws NotReplicatedException if fewer replicas than required acknowledged it
	 */
	public <T> @Nullable T required(Replicated<T> replicated, String operation, String what) {
		if (replicated.acknowledged() < this.replicas) {
			this.metrics.replicasMissed(operation);
			throw new NotReplicatedException(what, replicated.acknowledged(), this.replicas, this.timeout);
		}
		return replicated.reply();
	}

	/**
	 * The reply of a write that should have reached the replicas: one that missed them is
	 * counted and logged, and answered all the same (it is on the master).
	 * @param <T> the reply's type
	 * @param replicated the write
	 * @param operation what was written, for the metric: settle, lock-extend...
	 * @param what what was written, for the message
	 * @return the reply
	 */
	public <T> @Nullable T logged(Replicated<T> replicated, String operation, String what) {
		if (replicated.acknowledged() < this.replicas) {
			this.metrics.replicasMissed(operation);
			NotReplicatedException missed = new NotReplicatedException(what, replicated.acknowledged(), this.replicas,
					this.timeout);
			log.warn(operation, String.valueOf(missed.getMessage()));
		}
		return replicated.reply();
	}

	private CompletableFuture<Long> waitForReplicas(RedisAsyncCommands<String, String> commands) {
		return commands.waitForReplication(this.replicas, this.timeout.toMillis()).toCompletableFuture();
	}

	private static ScriptOutputType outputType(RedisScript<?> script) {
		Class<?> type = script.getResultType();
		if (type == null) {
			return ScriptOutputType.STATUS;
		}
		if (Long.class.equals(type)) {
			return ScriptOutputType.INTEGER;
		}
		if (List.class.isAssignableFrom(type)) {
			return ScriptOutputType.MULTI;
		}
		if (Boolean.class.equals(type)) {
			return ScriptOutputType.BOOLEAN;
		}
		return ScriptOutputType.VALUE;
	}

	/**
	 * The next of the connections, opened on first use: on another thread, as the caller
	 * may be a Lettuce event loop, where connecting must not wait. Lettuce reconnects an
	 * open one that drops (through the Sentinels, to the master of the moment), sending
	 * again what was not answered; one that could not be opened is opened again next
	 * time.
	 */
	private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
		int index = Math.floorMod(this.next.getAndIncrement(), CONNECTIONS);
		CompletableFuture<StatefulRedisConnection<String, String>> connection = this.connections.get(index);
		if (connection != null && !connection.isCompletedExceptionally()) {
			return connection;
		}
		CompletableFuture<StatefulRedisConnection<String, String>> opening = new CompletableFuture<>();
		if (!this.connections.compareAndSet(index, connection, opening)) {
			return connection();
		}
		ForkJoinPool.commonPool().execute(() -> {
			try {
				StatefulRedisConnection<String, String> opened = ((RedisClient) this.factory.getRequiredNativeClient())
					.connect(StringCodec.UTF8);
				// The wait for the replicas is part of the command's time.
				opened.setTimeout(commandTimeout());
				opening.complete(opened);
			}
			catch (RuntimeException ex) {
				opening.completeExceptionally(ex);
			}
		});
		return opening;
	}

	private Duration commandTimeout() {
		return this.factory.getClientConfiguration().getCommandTimeout().plus(this.timeout);
	}

	/**
	 * Closes the connections open now; a write in flight on one fails. A later write
	 * opens a new one.
	 */
	@Override
	public void close() {
		for (int i = 0; i < CONNECTIONS; i++) {
			CompletableFuture<StatefulRedisConnection<String, String>> connection = this.connections.getAndSet(i, null);
			if (connection != null) {
				connection.thenAccept(StatefulRedisConnection::close);
			}
		}
	}

	/**
	 * A script's reply, and how many replicas acknowledged its writes.
	 *
	 * @param <T> the reply's type
	 * @param reply the reply
	 * @param acknowledged how many replicas acknowledged it in time
	 */
	public record Replicated<T>(@Nullable T reply, long acknowledged) {
	}

}
