package dev.cohort.internal;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from another node, from a frame on the channel or from anyone who
 * can publish safe to put in a log line: short, and without the characters that could
 * start a new line or drive a terminal. Control characters (C0, DEL and C1, among them
 * line feed, carriage return, escape and next-line), Unicode line and paragraph
 * separators and invisible format characters (such as bidirectional overrides) are each
 * replaced by {@code ?}.
 */
public final class RemoteText {

	/** The length of a short piece of text: a node id, a message type, a method name. */
	public static final int NAME_LENGTH = 64;

	/** The length of a longer piece: a parser's or an exception's message. */
	public static final int DETAIL_LENGTH = 200;

	private RemoteText() {
	}

	/**
	 * Text cut to {@link #NAME_LENGTH} characters, made printable.
	 * @param text the text, possibly {@code null}
	 * @return the printable text, {@code "null"} for {@code null}
	 */
	public static String name(@Nullable Object text) {
		return printable(text, NAME_LENGTH);
	}

	/**
	 * Text cut to {@link #DETAIL_LENGTH} characters, made printable.
	 * @param text the text, possibly {@code null}
	 * @return the printable text, {@code "null"} for {@code null}
	 */
	public static String detail(@Nullable Object text) {
		return printable(text, DETAIL_LENGTH);
	}

	/**
	 * Text cut to a length, made printable. A cut text ends with {@code ...}.
	 * @param text the text, possibly {@code null}
	 * @param maxLength the most characters kept
	 * @return the printable text, {@code "null"} for {@code null}
	 */
	public static String printable(@Nullable Object text, int maxLength) {
		String value = String.valueOf(text);
		boolean cut = value.length() > maxLength;
		int end = cut ? maxLength : value.length();
		if (cut && Character.isHighSurrogate(value.charAt(end - 1))) {
			end--;
		}
		StringBuilder printable = null;
		for (int i = 0; i < end; i++) {
			if (unsafe(value.charAt(i))) {
				if (printable == null) {
					printable = new StringBuilder(end + 3).append(value, 0, i);
				}
				printable.append('?');
			}
			else if (printable != null) {
				printable.append(value.charAt(i));
			}
		}
		String result = (printable != null) ? printable.toString() : value.substring(0, end);
		return cut ? result + "..." : result;
	}

	private static boolean unsafe(char c) {
		if (Character.isISOControl(c)) {
			return true;
		}
		int type = Character.getType(c);
		return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
	}

}
