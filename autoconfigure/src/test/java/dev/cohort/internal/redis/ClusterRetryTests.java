package dev.cohort.internal.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClusterRetry}, without Redis: which failures it retries, and for how
 * long. {@code RedisClusterChangeTests} shows it on a real cluster.
 */
class ClusterRetryTests {

	private final ClusterRetry retry = new ClusterRetry(Duration.ofMillis(1), Duration.ofMillis(4),
			Duration.ofMillis(300));

	@Test
	void refusalsOfAChangingClusterAreRecognisedThroughSpringsTranslation() {
		assertThat(ClusterRetry.isRefusal(refusal("TRYAGAIN Multiple keys request during rehashing of slot"))).isTrue();
		assertThat(ClusterRetry.isRefusal(refusal("CLUSTERDOWN The cluster is down"))).isTrue();
		assertThat(ClusterRetry.isRefusal(refusal("CLUSTERDOWN Hash slot not served"))).isTrue();
		assertThat(ClusterRetry.isRefusal(refusal("MOVED 3999 127.0.0.1:6381"))).isTrue();
		assertThat(ClusterRetry.isRefusal(refusal("ASK 3999 127.0.0.1:6381"))).isTrue();
		assertThat(ClusterRetry.isRefusal(refusal("ERR Error running script"))).isFalse();
		assertThat(ClusterRetry.isRefusal(refusal("ASKING is not allowed"))).isFalse();
		assertThat(ClusterRetry.isRefusal(new RedisSystemException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 1 minute(s)"))))
			.isFalse();
		assertThat(ClusterRetry.isRefusal(null)).isFalse();
	}

	@Test
	void refusedCallIsRunAgainUntilItSucceeds() {
		AtomicInteger attempts = new AtomicInteger();
		String result = this.retry.call(() -> {
			if (attempts.incrementAndGet() < 4) {
				throw refusal("TRYAGAIN Multiple keys request during rehashing of slot");
			}
			return "done";
		});
		assertThat(result).isEqualTo("done");
		assertThat(attempts).hasValue(4);
	}

	@Test
	void otherFailuresAreNotRetriedAsTheCommandMayHaveRun() {
		AtomicInteger attempts = new AtomicInteger();
		RedisSystemException timeout = new RedisSystemException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out"));
		assertThatExceptionOfType(RedisSystemException.class).isThrownBy(() -> this.retry.call(() -> {
			attempts.incrementAndGet();
			throw timeout;
		})).isSameAs(timeout);
		assertThat(attempts).hasValue(1);
	}

	@Test
	void refusalsAreThrownOnceTheBudgetIsSpent() {
		AtomicInteger attempts = new AtomicInteger();
		long start = System.nanoTime();
		assertThatExceptionOfType(RedisSystemException.class).isThrownBy(() -> this.retry.call(() -> {
			attempts.incrementAndGet();
			throw refusal("CLUSTERDOWN The cluster is down");
		})).withStackTraceContaining("CLUSTERDOWN");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(attempts.get()).isGreaterThan(3);
	}

	@Test
	void asynchronousCallsAreRetriedAndGiveUpTheSameWay() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<String> retried = this.retry.callAsync(() -> (attempts.incrementAndGet() < 3)
				? CompletableFuture.failedFuture(new RedisCommandExecutionException("ASK 12 127.0.0.1:7000"))
				: CompletableFuture.completedFuture("done"));
		assertThat(retried.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(attempts).hasValue(3);
		CompletableFuture<String> refused = this.retry.callAsync(
				() -> CompletableFuture.failedFuture(new RedisCommandExecutionException("TRYAGAIN Multiple keys")));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(RedisCommandExecutionException.class);
		AtomicInteger failedOnce = new AtomicInteger();
		CompletableFuture<String> failed = this.retry.callAsync(() -> {
			failedOnce.incrementAndGet();
			return CompletableFuture.failedFuture(new RedisCommandExecutionException("ERR unknown command"));
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(5, TimeUnit.SECONDS));
		assertThat(failedOnce).hasValue(1);
	}

	private static RedisSystemException refusal(String message) {
		return new RedisSystemException("Error in execution", new RedisCommandExecutionException(message));
	}

}
