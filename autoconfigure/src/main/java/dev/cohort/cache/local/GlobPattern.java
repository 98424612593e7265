package dev.cohort.cache.local;

import java.nio.charset.StandardCharsets;

/**
 * A Redis glob pattern ({@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]},
 * {@code \} to escape), matched locally as Redis's {@code SCAN MATCH} matches it: Redis's
 * own algorithm ({@code stringmatchlen} in {@code util.c}), on the UTF-8 bytes of the
 * pattern and the key. So a {@code ?} matches one byte, not one character; a range given
 * backwards ({@code [z-a]}) is the same range; an escape works inside a class; a class
 * never closed runs to the end of the pattern; and {@code []} matches nothing.
 */
final class GlobPattern {

	/** Redis gives up beyond this many nested stars, as no match. */
	private static final int MAX_NESTING = 1000;

	private final byte[] pattern;

	private GlobPattern(String glob) {
		this.pattern = glob.getBytes(StandardCharsets.UTF_8);
	}

	static GlobPattern compile(String glob) {
		return new GlobPattern(glob);
	}

	/**
	 * Whether a key matches the whole pattern.
	 * @param key the key
	 * @return whether it matches
	 */
	boolean matches(String key) {
		return match(0, key.getBytes(StandardCharsets.UTF_8), 0, new boolean[1], 0);
	}

	/**
	 * Redis's {@code stringmatchlen_impl}, with positions instead of pointers: a byte
	 * past the end reads as 0, as the terminating NUL of Redis's strings does.
	 */
	private boolean match(int p, byte[] string, int s, boolean[] skipLongerMatches, int nesting) {
		if (nesting > MAX_NESTING) {
			return false;
		}
		byte[] pattern = this.pattern;
		while (p < pattern.length && s < string.length) {
			switch (pattern[p]) {
				case '*' -> {
					while (p < pattern.length && at(pattern, p + 1) == '*') {
						p++;
					}
					if (p == pattern.length - 1) {
						return true;
					}
					while (s < string.length) {
						if (match(p + 1, string, s, skipLongerMatches, nesting + 1)) {
							return true;
						}
						if (skipLongerMatches[0]) {
							return false;
						}
						s++;
					}
					skipLongerMatches[0] = true;
					return false;
				}
				case '?' -> s++;
				case '[' -> {
					p++;
					boolean not = at(pattern, p) == '^';
					if (not) {
						p++;
					}
					boolean match = false;
					while (true) {
						if (at(pattern, p) == '\\' && pattern.length - p >= 2) {
							p++;
							if (pattern[p] == string[s]) {
								match = true;
							}
						}
						else if (at(pattern, p) == ']') {
							break;
						}
						else if (p >= pattern.length) {
							p--;
							break;
						}
						else if (pattern.length - p >= 3 && pattern[p + 1] == '-') {
							int start = pattern[p];
							int end = pattern[p + 2];
							int c = string[s];
							if (start > end) {
								int swap = start;
								start = end;
								end = swap;
							}
							p += 2;
							if (c >= start && c <= end) {
								match = true;
							}
						}
						else if (pattern[p] == string[s]) {
							match = true;
						}
						p++;
					}
					if (not) {
						match = !match;
					}
					if (!match) {
						return false;
					}
					s++;
				}
				default -> {
					if (pattern[p] == '\\' && pattern.length - p >= 2) {
						p++;
					}
					if (pattern[p] != string[s]) {
						return false;
					}
					s++;
				}
			}
			p++;
			if (s == string.length) {
				while (at(pattern, p) == '*') {
					p++;
				}
				break;
			}
		}
		return p >= pattern.length && s == string.length;
	}

	private static int at(byte[] bytes, int index) {
		return (index < bytes.length) ? bytes[index] : 0;
	}

}
