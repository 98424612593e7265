package dev.cohort.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * At most one warning per key and interval, with a count of those held back.
 */
class RateLimitedLogTests {

	@Test
	void logsOncePerIntervalAndCountsTheRest() {
		Log log = mock(Log.class);
		given(log.isWarnEnabled()).willReturn(true);
		AtomicLong now = new AtomicLong(0);
		RateLimitedLog limited = new RateLimitedLog(log, 1000, now::get);
		assertThat(limited.warn("stale", "first")).isTrue();
		assertThat(limited.warn("stale", "second")).isFalse();
		assertThat(limited.warn("stale", "third")).isFalse();
		assertThat(limited.warn("replayed", "other key")).isTrue();
		now.set(1500);
		assertThat(limited.warn("stale", "fourth")).isTrue();
		verify(log).warn("first");
		verify(log).warn("other key");
		verify(log).warn("fourth (2 more like it not logged)");
	}

	@Test
	void keepsABoundedNumberOfKeysAndLimitsAFloodOfNewOnes() {
		Log log = mock(Log.class);
		given(log.isWarnEnabled()).willReturn(true);
		AtomicLong now = new AtomicLong(0);
		RateLimitedLog limited = new RateLimitedLog(log, 1000, now::get);
		// Keys from stored data, such as task names, can be new every time.
		for (int i = 0; i < 10 * RateLimitedLog.MAX_KEYS; i++) {
			limited.warn("failed:task-" + i, "task " + i + " failed");
		}
		assertThat(limited.size()).isLessThanOrEqualTo(RateLimitedLog.MAX_KEYS);
		verify(log, atMost(RateLimitedLog.MAX_KEYS)).warn(anyString());
		now.set(5000);
		for (int i = 0; i < 10 * RateLimitedLog.MAX_KEYS; i++) {
			limited.warn("failed:other-" + i, "other " + i + " failed");
		}
		assertThat(limited.size()).isLessThanOrEqualTo(RateLimitedLog.MAX_KEYS);
		verify(log, atMost(2 * RateLimitedLog.MAX_KEYS)).warn(anyString());
	}

	@Test
	void logsTheCauseOfTheLinesItLogsOnly() {
		Log log = mock(Log.class);
		given(log.isWarnEnabled()).willReturn(true);
		AtomicLong now = new AtomicLong(0);
		RateLimitedLog limited = new RateLimitedLog(log, 1000, now::get);
		IllegalStateException first = new IllegalStateException("first");
		assertThat(limited.warn("failed", "Request failed", first)).isTrue();
		assertThat(limited.warn("failed", "Request failed", new IllegalStateException("second"))).isFalse();
		now.set(1500);
		IllegalStateException third = new IllegalStateException("third");
		assertThat(limited.warn("failed", "Request failed", third)).isTrue();
		verify(log).warn("Request failed", first);
		verify(log).warn("Request failed (1 more like it not logged)", third);
		verify(log, times(2)).warn(any(), any(Throwable.class));
	}

}
