package dev.cohort.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster clock follows Redis' clock through samples taken by heartbeats, but a bad
 * sample cannot throw it off, and it never steps back by more than a small slew.
 */
class ClusterClockTests {

	/** Far more than the allowed slew, far less than the steps the samples ask for. */
	private static final long TOLERANCE = 1_000;

	@Test
	void firstSampleSetsTheOffset() {
		ClusterClock clock = new ClusterClock();
		long now = System.currentTimeMillis();
		clock.observe(now + 60_000, now, now);
		assertThat(offset(clock)).isBetween(60_000 - TOLERANCE, 60_000 + TOLERANCE);
	}

	@Test
	void sampleWithALongRoundTripIsIgnored() {
		ClusterClock clock = new ClusterClock();
		long now = System.currentTimeMillis();
		clock.observe(now, now - 1, now);
		// Redis answered after 4 seconds: when it read its clock within them is unknown.
		clock.observe(now + 60_000, now - 4_000, now);
		assertThat(offset(clock)).isBetween(-TOLERANCE, TOLERANCE);
	}

	@Test
	void sampleFromBeforeTheLocalClockSteppedIsIgnored() {
		ClusterClock clock = new ClusterClock();
		long now = System.currentTimeMillis();
		clock.observe(now, now, now);
		// Received "before" it was sent: the local clock stepped during the call.
		clock.observe(now + 60_000, now, now - 5_000);
		assertThat(offset(clock)).isBetween(-TOLERANCE, TOLERANCE);
	}

	@Test
	void backwardSampleMovesTheClockBackByAtMostTheSlew() {
		ClusterClock clock = new ClusterClock();
		long now = System.currentTimeMillis();
		clock.observe(now + 30_000, now, now);
		long before = clock.millis();
		long later = System.currentTimeMillis();
		clock.observe(later, later, later);
		assertThat(clock.millis()).isGreaterThanOrEqualTo(before - TOLERANCE);
	}

	@Test
	void forwardSampleIsTakenAtOnce() {
		ClusterClock clock = new ClusterClock();
		long now = System.currentTimeMillis();
		clock.observe(now, now, now);
		long later = System.currentTimeMillis();
		clock.observe(later + 30_000, later, later);
		assertThat(offset(clock)).isBetween(30_000 - TOLERANCE, 30_000 + TOLERANCE);
	}

	private static long offset(ClusterClock clock) {
		return clock.millis() - System.currentTimeMillis();
	}

	@Test
	void backwardCorrectionIsSpreadOverSteps() {
		ManualTime time = new ManualTime();
		ClusterClock clock = new ClusterClock(time::wall, time::nanos);
		clock.observe(time.wall + 1_000, time.wall, time.wall);
		assertThat(clock.millis()).isEqualTo(time.wall + 1_000);
		long reading = clock.millis();
		for (int heartbeat = 1; heartbeat <= 10; heartbeat++) {
			time.advance(2_000);
			clock.observe(time.wall, time.wall, time.wall);
			assertThat(clock.millis()).as("after heartbeat %d", heartbeat)
				.isEqualTo(time.wall + 1_000 - heartbeat * ClusterClock.MAX_STEP_BACK_MILLIS);
			assertThat(clock.millis()).isGreaterThan(reading);
			reading = clock.millis();
		}
		for (int heartbeat = 0; heartbeat < 10; heartbeat++) {
			time.advance(2_000);
			clock.observe(time.wall, time.wall, time.wall);
		}
		assertThat(clock.millis()).isEqualTo(time.wall);
	}

	@Test
	void backwardStepsTakeNoMoreThanTheTimeSinceTheLastOne() {
		ManualTime time = new ManualTime();
		ClusterClock clock = new ClusterClock(time::wall, time::nanos);
		clock.observe(time.wall + 10_000, time.wall, time.wall);
		long highest = clock.millis();
		// Samples in a burst, 10 ms apart: 10 ms back at most each time.
		for (int i = 0; i < 100; i++) {
			time.advance(10);
			clock.observe(time.wall, time.wall, time.wall);
			highest = Math.max(highest, clock.millis());
			assertThat(clock.millis()).isGreaterThanOrEqualTo(highest - ClusterClock.MAX_STEP_BACK_MILLIS);
		}
		assertThat(clock.millis()).isLessThan(time.wall + 10_000);
	}

	@Test
	void neverReadsFarBelowAnEarlierReadingWhateverTheSamples() {
		ManualTime time = new ManualTime();
		ClusterClock clock = new ClusterClock(time::wall, time::nanos);
		java.util.Random random = new java.util.Random(42);
		long highest = clock.millis();
		for (int i = 0; i < 10_000; i++) {
			time.advance(random.nextInt(500));
			long sentAt = time.wall - random.nextInt(1_000);
			clock.observe(time.wall + random.nextInt(60_000) - 30_000, sentAt, time.wall);
			highest = Math.max(highest, clock.millis());
			assertThat(clock.millis()).isGreaterThanOrEqualTo(highest - ClusterClock.MAX_STEP_BACK_MILLIS);
		}
	}

	@Test
	void followsTheSampleWithTheShortestRecentRoundTrip() {
		ManualTime time = new ManualTime();
		ClusterClock clock = new ClusterClock(time::wall, time::nanos);
		clock.observe(time.wall + 500, time.wall - 2, time.wall);
		for (int i = 0; i < ClusterClock.SAMPLES - 1; i++) {
			time.advance(1_000);
			clock.observe(time.wall + 5_000, time.wall - 400, time.wall);
			assertThat(clock.offsetMillis()).as("while the quick sample is kept").isEqualTo(500 + 1);
		}
		time.advance(1_000);
		clock.observe(time.wall + 5_000, time.wall - 400, time.wall);
		assertThat(clock.offsetMillis()).as("once it is forgotten").isEqualTo(5_000 + 200);
	}

	@Test
	void stepOfTheLocalWallClockDoesNotMoveTheClusterClock() {
		ManualTime time = new ManualTime();
		ClusterClock clock = new ClusterClock(time::wall, time::nanos);
		clock.observe(time.wall, time.wall, time.wall);
		long before = clock.millis();
		time.wall -= 60_000;
		time.advance(10);
		assertThat(clock.millis()).isEqualTo(before + 10);
	}

	/**
	 * A wall clock and a monotonic clock that tests move by hand.
	 */
	private static final class ManualTime {

		long wall = 1_700_000_000_000L;

		long nanos = 123_000_000L;

		long wall() {
			return this.wall;
		}

		long nanos() {
			return this.nanos;
		}

		void advance(long millis) {
			this.wall += millis;
			this.nanos += millis * 1_000_000;
		}

	}

}
