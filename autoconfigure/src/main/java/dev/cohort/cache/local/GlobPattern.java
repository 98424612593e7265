package dev.cohort.cache.local;

import java.util.regex.Pattern;

/**
 * A Redis glob pattern ({@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]},
 * {@code \} to escape) as a regular expression, so that keys match locally as they would
 * in Redis.
 */
final class GlobPattern {

	private GlobPattern() {
	}

	static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		boolean inClass = false;
		for (int i = 0; i < glob.length(); i++) {
			char c = glob.charAt(i);
			if (c == '\\' && i + 1 < glob.length()) {
				regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
			}
			else if (inClass) {
				if (c == ']') {
					inClass = false;
					regex.append(']');
				}
				else if (c == '^' && glob.charAt(i - 1) == '[') {
					regex.append('^');
				}
				else if (c == '-') {
					regex.append('-');
				}
				else {
					regex.append(Pattern.quote(String.valueOf(c)));
				}
			}
			else if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[' && glob.indexOf(']', i + 1) > i + 1) {
				inClass = true;
				regex.append('[');
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

}
