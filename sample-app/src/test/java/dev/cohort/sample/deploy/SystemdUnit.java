package dev.cohort.sample.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few parts of a systemd unit file that the deploy tests read, and what systemd makes
 * of them for one instance: its {@code %i}, its {@code Environment=} and
 * {@code EnvironmentFile=} lines, its {@code LoadCredential=} and its {@code ExecStart=}
 * with variables expanded as systemd expands them ({@code $VAR} split into words,
 * {@code ${VAR}} kept as one).
 */
final class SystemdUnit {

	private static final Pattern VARIABLE = Pattern
		.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

	private final Map<String, List<String>> settings = new LinkedHashMap<>();

	private SystemdUnit(List<String> lines) {
		String section = "";
		for (String line : lines) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
				continue;
			}
			if (trimmed.startsWith("[")) {
				section = trimmed.substring(1, trimmed.indexOf(']'));
				continue;
			}
			int equals = trimmed.indexOf('=');
			String key = section + "." + trimmed.substring(0, equals).strip();
			this.settings.computeIfAbsent(key, (k) -> new ArrayList<>()).add(trimmed.substring(equals + 1).strip());
		}
	}

	static SystemdUnit read(Path file) {
		try {
			return new SystemdUnit(Files.readAllLines(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every value of a setting, in order.
	 * @param key section and name, e.g. {@code Service.Environment}
	 * @return its values, empty when not set
	 */
	List<String> all(String key) {
		return this.settings.getOrDefault(key, List.of());
	}

	/**
	 * The last value of a setting, the one systemd uses for single-valued settings.
	 * @param key section and name
	 * @return its value, or null
	 */
	String get(String key) {
		List<String> values = all(key);
		return values.isEmpty() ? null : values.get(values.size() - 1);
	}

	/**
	 * The environment of one instance: {@code Environment=} lines, then the
	 * {@code EnvironmentFile=} files, which override them.
	 * @param instance what {@code %i} stands for
	 * @param files where each file the unit names is here ({@code -} prefix: optional)
	 * @return the variables
	 */
	Map<String, String> environment(String instance, java.util.function.Function<String, Path> files) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (String assignment : all("Service.Environment")) {
			String resolved = instance(assignment, instance);
			int equals = resolved.indexOf('=');
			environment.put(resolved.substring(0, equals), resolved.substring(equals + 1));
		}
		for (String file : all("Service.EnvironmentFile")) {
			boolean optional = file.startsWith("-");
			Path path = files.apply(instance(optional ? file.substring(1) : file, instance));
			if (!Files.exists(path)) {
				if (optional) {
					continue;
				}
				throw new IllegalStateException("EnvironmentFile " + file + " (" + path + ") does not exist");
			}
			environment.putAll(environmentFile(path));
		}
		return environment;
	}

	/**
	 * Reads an environment file as systemd does for the simple lines this project writes:
	 * {@code KEY=value}, the rest of the line the value, comments and blank lines
	 * skipped.
	 * @param file the file
	 * @return its variables
	 */
	static Map<String, String> environmentFile(Path file) {
		Map<String, String> environment = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file)) {
				String trimmed = line.strip();
				if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
					continue;
				}
				int equals = trimmed.indexOf('=');
				String value = trimmed.substring(equals + 1).strip();
				if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
						|| value.startsWith("'") && value.endsWith("'"))) {
					value = value.substring(1, value.length() - 1);
				}
				environment.put(trimmed.substring(0, equals).strip(), value);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return environment;
	}

	/**
	 * The command of {@code ExecStart=} for one instance, split into words, with
	 * {@code $VAR} split into words and {@code ${VAR}} substituted whole.
	 * @param instance what {@code %i} stands for
	 * @param environment the instance's environment, with {@code CREDENTIALS_DIRECTORY}
	 * @return the words
	 */
	List<String> execStart(String instance, Map<String, String> environment) {
		String command = instance(get("Service.ExecStart"), instance);
		List<String> words = new ArrayList<>();
		for (String word : command.split("\\s+")) {
			Matcher whole = VARIABLE.matcher(word);
			if (whole.matches() && whole.group(2) != null) {
				String value = environment.getOrDefault(whole.group(2), "").strip();
				if (!value.isEmpty()) {
					words.addAll(List.of(value.split("\\s+")));
				}
				continue;
			}
			words.add(VARIABLE.matcher(word).replaceAll((match) -> {
				String name = (match.group(1) != null) ? match.group(1) : match.group(2);
				return Matcher.quoteReplacement(environment.getOrDefault(name, ""));
			}));
		}
		return words;
	}

	private static String instance(String value, String instance) {
		return value.replace("%i", instance).replace("%%", "%");
	}

}
