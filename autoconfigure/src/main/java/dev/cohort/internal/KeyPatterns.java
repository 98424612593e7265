package dev.cohort.internal;

/**
 * Builds Redis glob patterns (as {@code SCAN MATCH} takes them) from literal text.
 */
public final class KeyPatterns {

	private KeyPatterns() {
	}

	/**
	 * Escapes the characters a glob gives a meaning to, so that the text matches only
	 * itself.
	 * @param literal the text
	 * @return the pattern
	 */
	public static String escape(String literal) {
		return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

}
