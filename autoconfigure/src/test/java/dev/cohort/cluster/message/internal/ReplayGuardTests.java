package dev.cohort.cluster.message.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

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

	@Test
	void countedNoncesAreRefusedTheSecondTimeInAnyOrder() {
		ReplayGuard guard = new ReplayGuard(1000);
		Random random = new Random(7);
		Set<String> model = new HashSet<>();
		for (int i = 0; i < 20_000; i++) {
			// Two senders, counters that jump (messages for other nodes) and come back
			// (messages that overtook each other), and repeats.
			String nonce = "sender" + random.nextInt(2) + "." + Long.toString(random.nextInt(3000), 36);
			assertThat(guard.firstSeen(nonce, 0, 0)).as(nonce).isEqualTo(model.add(nonce));
		}
	}

	@Test
	void countedNoncesAreForgottenAfterTheirWindowAndNeverBefore() {
		ReplayGuard guard = new ReplayGuard(1000);
		for (int i = 1; i <= 5000; i++) {
			guard.firstSeen("stopped." + Long.toString(i, 36), 0, 0);
		}
		assertThat(guard.firstSeen("stopped.1", 0, 999)).isFalse();
		// The sender that stopped sends nothing more: its counters go once their time
		// has passed, when another sender's message comes.
		guard.firstSeen("busy.1", 3000, 3000);
		assertThat(guard.size()).isEqualTo(1);
		assertThat(guard.firstSeen("stopped.1", 0, 3000)).isTrue();
	}

	@Test
	void aCounterHasOneSpellingAndOthersAreRememberedWhole() {
		ReplayGuard guard = new ReplayGuard(1000);
		assertThat(guard.firstSeen("p.1", 0, 0)).isTrue();
		for (String other : List.of("p.01", "p.+1", "p.A", "p.1x!", ".1", "p.", "p.1234567890abc")) {
			assertThat(guard.firstSeen(other, 0, 0)).as(other).isTrue();
			assertThat(guard.firstSeen(other, 0, 0)).as(other).isFalse();
		}
		assertThat(guard.firstSeen("p.1", 0, 0)).isFalse();
	}

}
