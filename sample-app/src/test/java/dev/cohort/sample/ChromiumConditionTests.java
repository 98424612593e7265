package dev.cohort.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChromiumCondition}'s decision, with the paths and {@code CI} given: both
 * branches are covered whether or not this machine has Chromium.
 */
class ChromiumConditionTests {

	private static final String INSTALL = "apt-get install chromium chromium-driver";

	@TempDir
	Path dir;

	@Test
	void enabledWhenBothAreInstalled() throws IOException {
		ConditionEvaluationResult result = ChromiumCondition.evaluate("SomeBrowserTests", executable("chromium"),
				executable("chromedriver"), null);
		assertThat(result.isDisabled()).isFalse();
		assertThat(HeadlessChromium.missing("SomeBrowserTests", executable("chromium"), executable("chromedriver")))
			.isNull();
	}

	@Test
	void skippedWhenChromiumIsMissingAndCiIsNotSet() throws IOException {
		ConditionEvaluationResult result = ChromiumCondition.evaluate("SomeBrowserTests", this.dir.resolve("chromium"),
				executable("chromedriver"), null);
		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason()).hasValueSatisfying((reason) -> assertThat(reason).contains("SomeBrowserTests")
			.contains(this.dir.resolve("chromium").toString())
			.endsWith(INSTALL));
	}

	@Test
	void skippedWhenChromeDriverIsMissingAndCiIsEmpty() throws IOException {
		ConditionEvaluationResult result = ChromiumCondition.evaluate("SomeBrowserTests", executable("chromium"),
				this.dir.resolve("chromedriver"), "");
		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason()).hasValueSatisfying((reason) -> assertThat(reason).endsWith(INSTALL));
	}

	@Test
	void skippedWhenNotExecutableAndCiIsNotSet() throws IOException {
		Path chromium = Files.createFile(this.dir.resolve("chromium"));
		ConditionEvaluationResult result = ChromiumCondition.evaluate("SomeBrowserTests", chromium,
				executable("chromedriver"), null);
		assertThat(result.isDisabled()).isTrue();
	}

	@Test
	void mandatoryWhenMissingAndCiIsSet() {
		Path chromium = this.dir.resolve("chromium");
		Path chromedriver = this.dir.resolve("chromedriver");
		ConditionEvaluationResult result = ChromiumCondition.evaluate("SomeBrowserTests", chromium, chromedriver,
				"true");
		assertThat(result.isDisabled()).isFalse();
		// and requireInstalled, in the test's @BeforeAll, fails it with this message
		assertThat(HeadlessChromium.missing("SomeBrowserTests", chromium, chromedriver))
			.isEqualTo("SomeBrowserTests drives Debian's Chromium through ChromeDriver, expected at " + chromium
					+ " and " + chromedriver + ", and at least one is missing: " + INSTALL);
	}

	private Path executable(String name) throws IOException {
		Path file = this.dir.resolve(name);
		if (!Files.exists(file)) {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		}
		return file;
	}

}
