package dev.cohort.sample;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips an {@link EnabledWithChromium @EnabledWithChromium} test class when Chromium or
 * ChromeDriver is missing and the environment variable {@code CI} is not set, with a
 * message naming the packages to install. With {@code CI} set to any non-empty value (as
 * {@code .ci/run} does), the class runs whatever is installed, and
 * {@link HeadlessChromium#requireInstalled(Class)} fails it with the same message.
 */
class ChromiumCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String testName = context.getRequiredTestClass().getSimpleName();
		return evaluate(testName, HeadlessChromium.CHROMIUM, HeadlessChromium.CHROMEDRIVER, System.getenv("CI"));
	}

	/**
	 * The decision, with the paths and the value of {@code CI} given.
	 * @param testName the browser test's name, for the message
	 * @param chromium where Chromium must be
	 * @param chromedriver where ChromeDriver must be
	 * @param ci the value of the environment variable {@code CI}, or {@code null}
	 * @return enabled when both are installed or {@code CI} is set, disabled otherwise
	 */
	static ConditionEvaluationResult evaluate(String testName, Path chromium, Path chromedriver, @Nullable String ci) {
		String missing = HeadlessChromium.missing(testName, chromium, chromedriver);
		if (missing == null) {
			return ConditionEvaluationResult.enabled("Chromium and ChromeDriver are installed");
		}
		if (ci != null && !ci.isEmpty()) {
			return ConditionEvaluationResult.enabled("CI is set, so the browser tests are mandatory: " + missing);
		}
		return ConditionEvaluationResult.disabled("Skipped (CI is not set): " + missing);
	}

}
