package dev.cohort.tasks.internal;

import java.time.Instant;
import java.util.Optional;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobContext;
import org.jspecify.annotations.Nullable;

/**
 * A job this node runs, and why it was told to stop, if it was. It is the
 * {@link JobContext} its handler sees; a stop (cancel, timeout, lost lease, hand-back)
 * records the first reason and interrupts the thread that runs it, if any.
 */
final class RunningJob implements JobContext {

	static final String CANCELLED = "cancelled";

	static final String TIMED_OUT = "timeout";

	static final String LEASE_LOST = "lease-lost";

	static final String HANDED_BACK = "handed-back";

	final ClaimedJob claimed;

	volatile @Nullable Thread thread;

	volatile @Nullable String stopReason;

	RunningJob(ClaimedJob claimed) {
		this.claimed = claimed;
	}

	synchronized void begin() {
		this.thread = Thread.currentThread();
	}

	synchronized void end() {
		this.thread = null;
	}

	synchronized void stop(String reason) {
		if (this.stopReason == null) {
			this.stopReason = reason;
			Thread current = this.thread;
			if (current != null) {
				current.interrupt();
			}
		}
	}

	@Override
	public String jobId() {
		return this.claimed.job().id();
	}

	@Override
	public String task() {
		return this.claimed.job().task();
	}

	@Override
	public String queue() {
		return this.claimed.job().queue();
	}

	@Override
	public int attempt() {
		return this.claimed.attempt();
	}

	@Override
	public long fencingToken() {
		return this.claimed.fencingToken();
	}

	@Override
	public Optional<Instant> period() {
		Long period = this.claimed.job().period();
		return (period != null) ? Optional.of(Instant.ofEpochMilli(period)) : Optional.empty();
	}

	@Override
	public boolean isCancelled() {
		return this.stopReason != null;
	}

}
