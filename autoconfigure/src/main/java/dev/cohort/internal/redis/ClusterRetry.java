package dev.cohort.internal.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs a Redis command again when a Redis Cluster refused it without running it, while
 * the cluster changes: {@code TRYAGAIN} (a command on several keys of a slot being
 * migrated, some of them moved already), {@code CLUSTERDOWN} (a master failed and its
 * replica is not promoted yet), and {@code MOVED} or {@code ASK} that reach the caller
 * (Lettuce follows both itself, up to its redirection limit, and refreshes its view of
 * the slots on them); and Lettuce's own rejection of a command for a node it is not
 * connected to (a dead master, until its view of the slots shows the promoted replica),
 * which Cohort sets up on a Redis Cluster instead of queueing. Redis answers these before
 * it runs anything, and a rejected command is never sent, so retrying never runs a
 * command, or a script, twice.
 * <p>
 * Retries wait a short backoff that doubles from {@code 5 ms} up to {@code 200 ms}, and
 * stop after {@code 10 s}, when the last refusal is thrown: a migration of a slot that
 * takes longer than that, or a failover that does not end, fails the calls as Redis
 * refused them. Any other failure, a timeout or a lost connection above all (the command
 * may have run), is not retried.
 */
public final class ClusterRetry {

	private static final Log logger = LogFactory.getLog(ClusterRetry.class);

	private static final List<String> REFUSALS = List.of("TRYAGAIN", "CLUSTERDOWN", "MOVED", "ASK");

	/** Lettuce's rejection of a command on a connection that is down: never sent. */
	private static final String NOT_SENT = "Currently not connected. Commands are rejected.";

	private static final int MAX_CAUSES = 16;

	/** The retries Cohort's Redis stores use. */
	public static final ClusterRetry DEFAULT = new ClusterRetry(Duration.ofMillis(5), Duration.ofMillis(200),
			Duration.ofSeconds(10));

	private final long firstBackoffNanos;

	private final long maxBackoffNanos;

	private final long budgetNanos;

	ClusterRetry(Duration firstBackoff, Duration maxBackoff, Duration budget) {
		this.firstBackoffNanos = firstBackoff.toNanos();
		this.maxBackoffNanos = maxBackoff.toNanos();
		this.budgetNanos = budget.toNanos();
	}

	/**
	 * A template on the same connection factory whose commands, scripts included, retry
	 * as {@link #DEFAULT} does; pipelines and {@link #once} callbacks are run once.
	 * @param redis the template
	 * @return the retrying template
	 */
	public static StringRedisTemplate template(StringRedisTemplate redis) {
		if (redis instanceof RetryingTemplate) {
			return redis;
		}
		RetryingTemplate retrying = new RetryingTemplate(DEFAULT);
		retrying.setConnectionFactory(redis.getRequiredConnectionFactory());
		retrying.afterPropertiesSet();
		return retrying;
	}

	/**
	 * A callback that a {@link #template retrying template} runs once: one whose work is
	 * not safe to repeat from the start, such as a scan handing keys over as it goes.
	 * @param <T> what it returns
	 * @param callback the callback
	 * @return the callback, marked
	 */
	public static <T> RedisCallback<T> once(RedisCallback<T> callback) {
		return (Once<T>) callback::doInRedis;
	}

	/**
	 * Whether a failure is a refusal of a changing Redis Cluster, which did not run the
	 * command: an error reply starting with {@code TRYAGAIN}, {@code CLUSTERDOWN},
	 * {@code MOVED} or {@code ASK}, or Lettuce's rejection of a command it did not send
	 * for want of a connection; the failure's own or that of one of its causes.
	 * @param ex the failure
	 * @return whether retrying may succeed
	 */
	public static boolean isRefusal(@Nullable Throwable ex) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
			String message = current.getMessage();
			if (message != null) {
				if (message.startsWith(NOT_SENT)) {
					return true;
				}
				for (String refusal : REFUSALS) {
					if (message.startsWith(refusal + " ") || message.equals(refusal)) {
						return true;
					}
				}
			}
			current = current.getCause();
		}
		return false;
	}

	/**
	 * Runs a call, again after a backoff as long as the cluster refuses it and the budget
	 * lasts.
	 * @param <T> what it returns
	 * @param call the call
	 * @return what it returned
	 * @throws RuntimeException what the call threw last
	 */
	public <T extends @Nullable Object> T call(Supplier<T> call) {
		long start = System.nanoTime();
		long backoff = this.firstBackoffNanos;
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (RuntimeException ex) {
				if (!shouldRetry(ex, start, backoff, attempt)) {
					throw ex;
				}
				try {
					TimeUnit.NANOSECONDS.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
				backoff = Math.min(backoff * 2, this.maxBackoffNanos);
			}
		}
	}

	/**
	 * Runs an asynchronous call as {@link #call} does: its retries are sent after the
	 * backoff from a timer thread, never waiting on the caller's (an event loop's).
	 * @param <T> what it completes with
	 * @param call the call
	 * @return what the call completed with, or its last failure
	 */
	public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> call) {
		return attempt(call, System.nanoTime(), this.firstBackoffNanos, 1);
	}

	private <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> call, long start, long backoff,
			int attempt) {
		CompletableFuture<T> result;
		try {
			result = call.get();
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result.handle((value, ex) -> {
			if (ex == null) {
				return CompletableFuture.completedFuture(value);
			}
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (!shouldRetry(cause, start, backoff, attempt)) {
				return CompletableFuture.<T>failedFuture(cause);
			}
			Executor later = CompletableFuture.delayedExecutor(backoff, TimeUnit.NANOSECONDS);
			return CompletableFuture.supplyAsync(() -> null, later)
				.thenCompose(
						(ignored) -> attempt(call, start, Math.min(backoff * 2, this.maxBackoffNanos), attempt + 1));
		}).thenCompose((next) -> next);
	}

	private boolean shouldRetry(Throwable ex, long start, long backoff, int attempt) {
		if (!isRefusal(ex)) {
			return false;
		}
		boolean retry = System.nanoTime() - start + backoff <= this.budgetNanos;
		if (attempt == 1 || !retry) {
			if (logger.isDebugEnabled()) {
				logger.debug((retry ? "Retrying a command the Redis Cluster refused: "
						: "Giving up on a command the Redis Cluster kept refusing after " + attempt + " attempts: ")
						+ ex.getMessage());
			}
		}
		return retry;
	}

	/** A callback run once. */
	private interface Once<T> extends RedisCallback<T> {

	}

	/**
	 * A template whose commands are retried.
	 */
	private static final class RetryingTemplate extends StringRedisTemplate {

		private final ClusterRetry retry;

		RetryingTemplate(ClusterRetry retry) {
			this.retry = retry;
		}

		@Override
		public <T> @Nullable T execute(RedisCallback<T> action, boolean exposeConnection, boolean pipeline) {
			if (pipeline || action instanceof Once) {
				return super.execute(action, exposeConnection, pipeline);
			}
			return this.retry.<@Nullable T>call(() -> super.execute(action, exposeConnection, pipeline));
		}

	}

}
