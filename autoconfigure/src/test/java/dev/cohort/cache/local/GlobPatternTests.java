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

	@Test
	void edgeCasesMatchAsRedisStringmatchDoes() {
		assertThat(matches("n[9-0]", "n5")).as("a range backwards").isTrue();
		assertThat(matches("[]", "]")).as("an empty class matches nothing").isFalse();
		assertThat(matches("[^]", "x")).as("its negation matches anything").isTrue();
		assertThat(matches("[ab", "b")).as("a class never closed runs to the end").isTrue();
		assertThat(matches("[ab", "c")).isFalse();
		assertThat(matches("a\\", "a\\")).as("a trailing backslash is itself").isTrue();
		assertThat(matches("[\\]]", "]")).as("an escaped bracket in a class").isTrue();
		assertThat(matches("?", "\u00e9")).as("one byte, not one character").isFalse();
		assertThat(matches("??", "\u00e9")).isTrue();
		assertThat(matches("[\u00e9]", "\u00e9")).as("a class holds bytes").isFalse();
		assertThat(matches("**a", "xa")).isTrue();
		assertThat(matches("a*", "a")).isTrue();
		assertThat(matches("", "")).isTrue();
	}

	private static boolean matches(String glob, String key) {
		return GlobPattern.compile(glob).matches(key);
	}

}
