package dev.cohort.connections;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that a client chose safe to log or echo: cut short, and with every character
 * that could end a line or hide text (control, line and paragraph separators, format
 * characters such as bidirectional overrides) replaced by {@code ?}, so that a frame can
 * neither forge log lines nor flood the log.
 */
final class ClientText {

	/** How much of an event name, or another short name, is kept. */
	static final int NAME = 64;

	/** How much of a longer message is kept. */
	static final int MESSAGE = 256;

	private ClientText() {
	}

	/**
	 * The text, safe to log.
	 * @param text the client's text, or {@code null}
	 * @param maxLength how many characters to keep
	 * @return the printable text, with {@code ...} if it was cut
	 */
	static String printable(@Nullable String text, int maxLength) {
		if (text == null) {
			return "null";
		}
		boolean cut = text.length() > maxLength;
		int length = cut ? maxLength : text.length();
		StringBuilder printable = new StringBuilder(length + 3);
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			printable.append(isSafe(c) ? c : '?');
		}
		return cut ? printable.append("...").toString() : printable.toString();
	}

	private static boolean isSafe(char c) {
		if (Character.isISOControl(c)) {
			return false;
		}
		int type = Character.getType(c);
		return type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR && type != Character.FORMAT;
	}

}
