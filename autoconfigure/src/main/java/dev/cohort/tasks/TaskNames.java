package dev.cohort.tasks;

import java.util.regex.Pattern;

/**
 * Checks task and queue names: they become parts of Redis keys and hash tags.
 */
public final class TaskNames {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

	private TaskNames() {
	}

	/**
	 * Checks a task or queue name.
	 * @param what what the name is, for the message
	 * @param name the name
	 * @return the name
	 * @throws IllegalArgumentException if it has characters other than letters, digits,
	 * {@code .}, {@code _} and {@code -}, or is empty
	 */
	public static String check(String what, String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"The " + what + " '" + name + "' is not usable: use letters, digits, '.', '_' or '-'");
		}
		return name;
	}

}
