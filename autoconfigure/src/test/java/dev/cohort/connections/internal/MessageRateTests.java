package dev.cohort.connections.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token bucket of one connection, on a clock of the test's.
 */
class MessageRateTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void takesTheBurstAtOnceThenTheRate() {
		MessageRate rate = new MessageRate(10, 5, 0);
		for (int i = 0; i < 5; i++) {
			assertThat(rate.take(0)).isEqualTo(MessageRate.Verdict.ACCEPT);
		}
		assertThat(rate.take(0)).isEqualTo(MessageRate.Verdict.REFUSE);
		assertThat(rate.take(SECOND / 10)).isEqualTo(MessageRate.Verdict.ACCEPT);
		assertThat(rate.take(SECOND / 10)).isEqualTo(MessageRate.Verdict.REFUSE);
	}

	@Test
	void aClientJustOverTheRateIsOnlyRefused() {
		MessageRate rate = new MessageRate(10, 5, 0);
		// 15 frames a second for a minute: one and a half times the rate.
		for (long frame = 0; frame < 900; frame++) {
			assertThat(rate.take(frame * SECOND / 15)).isNotEqualTo(MessageRate.Verdict.CLOSE);
		}
	}

	@Test
	void aClientThatSendsThreeTimesTheRateIsToBeClosed() {
		MessageRate rate = new MessageRate(10, 5, 0);
		long frame = 0;
		while (rate.take(frame * SECOND / 30) != MessageRate.Verdict.CLOSE) {
			frame++;
			assertThat(frame).isLessThan(30 * 10);
		}
		// The burst, then ten refused frames beyond the drain: about a second.
		assertThat(frame * SECOND / 30).isBetween(SECOND / 2, 2 * SECOND);
	}

	@Test
	void aFloodAtOnceIsToBeClosedAfterTwiceTheBurst() {
		MessageRate rate = new MessageRate(10, 5, 0);
		int frames = 0;
		while (rate.take(0) != MessageRate.Verdict.CLOSE) {
			frames++;
		}
		assertThat(frames).isEqualTo(10);
	}

}
