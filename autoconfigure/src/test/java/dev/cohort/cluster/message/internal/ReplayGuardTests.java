package dev.cohort.cluster.message.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nonces are refused the second time and forgotten once the stale check takes over.
 */
class ReplayGuardTests {

	@Test
	void secondSightingOfANonceIsRefused() {
		ReplayGuard guard = new ReplayGuard(1000);
		assertThat(guard.firstSeen("a", 0, 0)).isTrue();
		assertThat(guard.firstSeen("a", 0, 10)).isFalse();
		assertThat(guard.firstSeen("b", 0, 10)).isTrue();
	}

	@Test
	void noncesAreForgottenAfterTheirWindow() {
		ReplayGuard guard = new ReplayGuard(1000);
		for (int i = 0; i < 5000; i++) {
			guard.firstSeen("old-" + i, 0, 0);
		}
		for (int i = 0; i < 5000; i++) {
			guard.firstSeen("new-" + i, 10_000, 10_000);
		}
		assertThat(guard.size()).isLessThanOrEqualTo(5000);
	}

	@Test
	void nonceIsNeverForgottenBeforeItsWindowEnds() {
		ReplayGuard guard = new ReplayGuard(1000);
		guard.firstSeen("early", 0, 0);
		for (int i = 0; i < 1000; i++) {
			guard.firstSeen("busy-" + i, 500, 999);
		}
		assertThat(guard.firstSeen("early", 0, 999)).isFalse();
		guard.firstSeen("later", 1500, 1500);
		assertThat(guard.firstSeen("early", 0, 1500)).isTrue();
	}

	@Test
	void nonceOutlivesItsWindowByTheClocksAllowedStepBack() {
		ReplayGuard guard = new ReplayGuard(1000);
		assertThat(guard.firstSeen("early", 0, 0)).isTrue();
		// Just past the window, another message makes the guard forget what has
		// expired...
		guard.firstSeen("later", 1040, 1040);
		// ...then the clock steps back a little, within the slew it allows: the first
		// message is not stale again, so its nonce must still be known.
		assertThat(guard.firstSeen("early", 0, 990)).isFalse();
	}

}
