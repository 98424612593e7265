package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a running job's lease lapses by the worker's own clock: a lease from when the
 * claim, or the last successful renewal, was sent.
 */
class RunningJobLeaseTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final ClaimedJob claimed = new ClaimedJob(
			new JobRecord("default:1", "work", "default", null, 0, null, null, null), 1, 7, 0, "lease-id");

	@Test
	void aJobIsNotCancelledWithinItsLeaseFromTheClaim() {
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		this.nanos.addAndGet(LEASE.toNanos() - 1);
		assertThat(job.isCancelled()).isFalse();
		assertThat(job.stopReason).isNull();
	}

	@Test
	void aJobIsCancelledOnceALeaseHasPassedSinceTheClaimWasSent() {
		long sent = this.nanos.get();
		// The answer came a second after the claim was sent: the lease counts from the
		// sending.
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		RunningJob job = new RunningJob(this.claimed, sent, LEASE, this.nanos::get);
		this.nanos.addAndGet(LEASE.toNanos() - Duration.ofSeconds(1).toNanos());
		assertThat(job.isCancelled()).isTrue();
		assertThat(job.stopReason).isEqualTo(RunningJob.LEASE_LAPSED);
	}

	@Test
	void aRenewalExtendsTheLeaseFromWhenItWasSent() {
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		long renewalSent = this.nanos.get();
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		job.renewed(renewalSent);
		this.nanos.set(renewalSent + LEASE.toNanos() - 1);
		assertThat(job.isCancelled()).isFalse();
		this.nanos.set(renewalSent + LEASE.toNanos());
		assertThat(job.isCancelled()).isTrue();
	}

	@Test
	void anOlderRenewalAnsweredLateDoesNotShortenTheLease() {
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		long older = this.nanos.get() + Duration.ofSeconds(1).toNanos();
		long newer = this.nanos.get() + Duration.ofSeconds(2).toNanos();
		job.renewed(newer);
		job.renewed(older);
		this.nanos.set(newer + LEASE.toNanos() - 1);
		assertThat(job.isCancelled()).isFalse();
	}

	@Test
	void aJobPausedPastItsLeaseIsCancelledAsSoonAsItLooksAndStaysSo() {
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		// Paused for 10 s (a GC, SIGSTOP) with a 3 s lease: no renewal round ran.
		this.nanos.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(job.isCancelled()).isTrue();
		// A renewal that succeeds later does not take the stop back.
		job.renewed(this.nanos.get());
		assertThat(job.isCancelled()).isTrue();
	}

	@Test
	void aLapsedLeaseInterruptsTheThreadThatRunsTheJob() throws InterruptedException {
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		job.begin();
		try {
			this.nanos.addAndGet(LEASE.toNanos());
			assertThat(job.isCancelled()).isTrue();
			assertThat(Thread.interrupted()).isTrue();
		}
		finally {
			job.end();
		}
	}

	@Test
	void theClockMayWrapAround() {
		this.nanos.set(Long.MAX_VALUE - 1);
		RunningJob job = new RunningJob(this.claimed, this.nanos.get(), LEASE, this.nanos::get);
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(job.isCancelled()).isFalse();
		this.nanos.addAndGet(LEASE.toNanos());
		assertThat(job.isCancelled()).isTrue();
	}

}
