package dev.cohort.cache.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Glob patterns match keys locally as Redis's SCAN MATCH does.
 */
class GlobPatternTests {

	@Test
	void wildcardsClassesAndEscapes() {
		assertThat(matches("user:*", "user:1")).isTrue();
		assertThat(matches("user:*", "users")).isFalse();
		assertThat(matches("h?llo", "hello")).isTrue();
		assertThat(matches("h?llo", "hllo")).isFalse();
		assertThat(matches("h[ae]llo", "hallo")).isTrue();
		assertThat(matches("h[ae]llo", "hillo")).isFalse();
		assertThat(matches("h[^e]llo", "hallo")).isTrue();
		assertThat(matches("h[^e]llo", "hello")).isFalse();
		assertThat(matches("n[0-4]", "n3")).isTrue();
		assertThat(matches("n[0-4]", "n7")).isFalse();
		assertThat(matches("a\\*b", "a*b")).isTrue();
		assertThat(matches("a\\*b", "axb")).isFalse();
		assertThat(matches("cache.(x)+{y}", "cache.(x)+{y}")).isTrue();
		assertThat(matches("*", "line\nbreak")).isTrue();
	}

	private static boolean matches(String glob, String key) {
		return GlobPattern.compile(glob).matches(key);
	}

}
