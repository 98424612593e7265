package dev.cohort.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote text made safe for a log line.
 */
class RemoteTextTests {

	@Test
	void plainTextIsKept() {
		assertThat(RemoteText.name("node-1 caf\u00e9 \ud83d\ude00")).isEqualTo("node-1 caf\u00e9 \ud83d\ude00");
		assertThat(RemoteText.name(null)).isEqualTo("null");
	}

	@Test
	void everyCharacterThatCouldBreakALineOrDriveATerminalIsReplaced() {
		String text = "a\nb\rc\u0000d\u001b[2Je\u0085f\u2028g\u2029h\u202ei\u007fj\tk";
		assertThat(RemoteText.detail(text)).isEqualTo("a?b?c?d?[2Je?f?g?h?i?j?k");
	}

	@Test
	void longTextIsCutWithoutSplittingACharacter() {
		assertThat(RemoteText.name("x".repeat(100))).isEqualTo("x".repeat(64) + "...");
		String emojiAtTheCut = "x".repeat(63) + "\ud83d\ude00" + "tail";
		assertThat(RemoteText.name(emojiAtTheCut)).isEqualTo("x".repeat(63) + "...");
		assertThat(RemoteText.detail("y".repeat(5_000))).hasSize(RemoteText.DETAIL_LENGTH + 3);
	}

}
