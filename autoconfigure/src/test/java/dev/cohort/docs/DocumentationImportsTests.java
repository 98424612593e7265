package dev.cohort.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code import dev.cohort....;} line in the code samples of {@code README.md} and
 * {@code docs/*.md} names a class that exists, outside the {@code internal} packages, so
 * that the samples cannot drift from the code.
 */
class DocumentationImportsTests {

	private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(dev\\.cohort\\.[\\w.]+);",
			Pattern.MULTILINE);

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	@Test
	void everyImportedCohortClassExists() throws IOException {
		List<String> imports = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (Path page : pages()) {
			Matcher matcher = IMPORT.matcher(Files.readString(page));
			while (matcher.find()) {
				String name = matcher.group(1);
				imports.add(name);
				String where = ROOT.relativize(page) + ": " + name;
				if (name.contains(".internal.")) {
					problems.add(where + " is in an internal package, not API");
				}
				try {
					Class.forName(name, false, getClass().getClassLoader());
				}
				catch (ClassNotFoundException ex) {
					problems.add(where + " does not exist");
				}
			}
		}
		assertThat(imports).as("imports found in the documentation").hasSizeGreaterThan(40);
		assertThat(problems).isEmpty();
	}

	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		assertThat(pages).allSatisfy((page) -> assertThat(page).isRegularFile());
		return pages;
	}

}
