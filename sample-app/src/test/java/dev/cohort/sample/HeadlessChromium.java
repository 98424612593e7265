package dev.cohort.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's Chromium driven through its ChromeDriver, both at explicit paths, for the
 * sample's browser tests: Selenium never downloads a browser or a driver ({@code .ci/run}
 * installs both). The paths are {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} unless the system properties {@code cohort.test.chromium}
 * and {@code cohort.test.chromedriver} say otherwise.
 */
final class HeadlessChromium {

	static final Path CHROMIUM = Path.of(System.getProperty("cohort.test.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("cohort.test.chromedriver", "/usr/bin/chromedriver"));

	private HeadlessChromium() {
	}

	/**
	 * Fails the test class, saying what to install, unless Chromium and ChromeDriver are
	 * there, and points Selenium at them.
	 * @param testClass the browser test
	 */
	static void requireInstalled(Class<?> testClass) {
		String missing = missing(testClass.getSimpleName(), CHROMIUM, CHROMEDRIVER);
		if (missing != null) {
			fail(missing);
		}
		// The driver is given explicitly; should Selenium Manager run all the same, it
		// must
		// not download anything (Selenium passes SE_* properties on to it).
		System.setProperty("SE_OFFLINE", "true");
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
	}

	/**
	 * Says what is missing and what to install, if anything.
	 * @param testName the browser test's name, for the message
	 * @param chromium where Chromium must be
	 * @param chromedriver where ChromeDriver must be
	 * @return the message, or {@code null} when both are executable
	 */
	static @Nullable String missing(String testName, Path chromium, Path chromedriver) {
		if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
			return null;
		}
		return testName + " drives Debian's Chromium through ChromeDriver, expected at " + chromium + " and "
				+ chromedriver + ", and at least one is missing: apt-get install chromium chromium-driver";
	}

	/**
	 * Starts a headless browser whose console log the test can read.
	 * @param width the window's width in pixels
	 * @param height the window's height in pixels
	 * @return the browser, to be quit by the test
	 */
	static WebDriver start(int width, int height) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
				"--window-size=" + width + "," + height);
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
