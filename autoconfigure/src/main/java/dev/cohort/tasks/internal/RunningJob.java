package dev.cohort.tasks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobContext;
import org.jspecify.annotations.Nullable;

/**
 * A job this node runs, and why it was told to stop, if it was. It is the
 * {@link JobContext} its handler sees; a stop (cancel, timeout, lost lease, hand-back)
 * records the first reason and interrupts the thread that runs it, if any.
 * <p>
 * It also knows when its lease lapses by this worker's own monotonic clock: a lease lasts
 * from when the claim or the last successful renewal was sent (never later than Redis
 * started it) for the lease's length. Once that time has passed, {@link #isCancelled()}
 * stops the job as {@link #LEASE_LAPSED}, without waiting for a renewal round to learn
 * that another worker took the job back: a worker paused past its lease learns it as soon
 * as it resumes.
 */
final class RunningJob implements JobContext {

	static final String CANCELLED = "cancelled";

	static final String TIMED_OUT = "timeout";

	static final String LEASE_LOST = "lease-lost";

	static final String HANDED_BACK = "handed-back";

	/** The lease lapsed by this worker's clock, before a renewal said it was lost. */
	static final String LEASE_LAPSED = "lease-lapsed";

	final ClaimedJob claimed;

	private final long leaseNanos;

	private final LongSupplier nanoClock;

	/** When the lease lapses, on {@link #nanoClock}. */
	private volatile long leaseEndsNanos;

	volatile @Nullable Thread thread;

	volatile @Nullable String stopReason;

	/**
	 * A run of a job taken.
	 * @param claimed the job taken
	 * @param claimSentNanos when the claim that took it was sent, on
	 * {@link System#nanoTime()}
	 * @param lease the lease's length
	 */
	RunningJob(ClaimedJob claimed, long claimSentNanos, Duration lease) {
		this(claimed, claimSentNanos, lease, System::nanoTime);
	}

	RunningJob(ClaimedJob claimed, long claimSentNanos, Duration lease, LongSupplier nanoClock) {
		this.claimed = claimed;
		this.leaseNanos = lease.toNanos();
		this.nanoClock = nanoClock;
		this.leaseEndsNanos = claimSentNanos + this.leaseNanos;
	}

	/**
	 * Records a successful renewal of the lease.
	 * @param sentNanos when the renewal was sent, on the clock of this run
	 */
	void renewed(long sentNanos) {
		long endsNanos = sentNanos + this.leaseNanos;
		// Renewals may answer out of order: keep the latest end.
		synchronized (this) {
			if (endsNanos - this.leaseEndsNanos > 0) {
				this.leaseEndsNanos = endsNanos;
			}
		}
	}

	/**
	 * Whether the lease has lapsed by this worker's clock.
	 * @return whether the time of the last claim or renewal plus a lease has passed
	 */
	boolean leaseLapsed() {
		return this.nanoClock.getAsLong() - this.leaseEndsNanos >= 0;
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
		if (this.stopReason != null) {
			return true;
		}
		if (leaseLapsed()) {
			stop(LEASE_LAPSED);
			return true;
		}
		return false;
	}

}
