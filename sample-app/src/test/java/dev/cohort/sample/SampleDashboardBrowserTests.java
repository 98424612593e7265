package dev.cohort.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.sample.tasks.ThumbnailJob;
import dev.cohort.sample.tasks.ThumbnailTasks;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.QueueStats;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cohort's dashboard in a real headless Chromium: three sample nodes (one server, two
 * workers) on one Redis server of the test's own, some jobs done and one failed for good;
 * the browser signs in as the sample's demo user, sees the three nodes, the queues'
 * counts and their charts, and retries the failed job, which is then done. Screenshots go
 * to {@code target/dashboard-*.png}.
 * <p>
 * Needs Debian's {@code chromium} and {@code chromium-driver} packages, as
 * {@link SampleChatBrowserTests} does.
 */
@EnabledWithChromium
class SampleDashboardBrowserTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String TOKEN = "sample-dashboard-browser-tests-token-0123456789";

	private static final String REPORTS = "reports";

	private static final int THUMBNAILS = 5;

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private static final List<String> baseUrls = new ArrayList<>();

	private WebDriver driver;

	@BeforeAll
	static void startCluster() {
		HeadlessChromium.requireInstalled(SampleDashboardBrowserTests.class);
		redis = RedisServer.start();
		String namespace = "sample-dashboard-" + UUID.randomUUID().toString().substring(0, 8);
		start(namespace, "server");
		start(namespace, "worker");
		start(namespace, "worker");
		await().atMost(TIMEOUT)
			.until(() -> contexts.stream().allMatch((context) -> clusterNodes(context).members().size() == 3));
	}

	private static void start(String namespace, String role) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class,
				FlakyReports.class)
			.profiles("redis", role)
			.run("--server.port=0", "--cluster.namespace=" + namespace, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--cluster.server-token=" + TOKEN,
					"--cluster.heartbeat-interval=200ms", "--cluster.node-timeout=1500ms",
					"--cluster.tasks.queues=images," + REPORTS + ",default");
		contexts.add(context);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		baseUrls.add("http://localhost:" + port);
	}

	@AfterAll
	static void stopCluster() {
		contexts.forEach(ConfigurableApplicationContext::close);
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void openBrowser() {
		this.driver = HeadlessChromium.start(1400, 1900);
	}

	@AfterEach
	void closeBrowser() {
		this.driver.quit();
	}

	@Test
	void withoutSignInTheDashboardAndItsApiAreRefused() throws IOException, InterruptedException {
		String base = baseUrls.get(0);
		this.driver.get(base + "/cohort/");
		awaitUntil("the browser is sent to the login form", () -> this.driver.getCurrentUrl().endsWith("/login"));
		screenshot("login");
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> overview = http.send(
				HttpRequest.newBuilder(URI.create(base + "/cohort/api/overview")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(overview.statusCode()).isEqualTo(401);
		HttpResponse<String> retry = http
			.send(HttpRequest.newBuilder(URI.create(base + "/cohort/api/queues/x/failed/retry-all"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("X-Cohort-Dashboard", "1")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(retry.statusCode()).isIn(401, 403);
		// The sample's own endpoints stay open, as before Spring Security came in.
		HttpResponse<String> cluster = http.send(HttpRequest.newBuilder(URI.create(base + "/cluster")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(cluster.statusCode()).isEqualTo(200);
	}

	@Test
	void anOperatorSeesTheClusterAndRetriesAFailedJob() {
		ClusterTasks tasks = contexts.get(0).getBean(ClusterTasks.class);
		long processedBefore = stats(tasks, "images").processed();
		for (int i = 0; i < THUMBNAILS; i++) {
			tasks.enqueue(ThumbnailTasks.MAKE_THUMBNAIL, new ThumbnailJob("cat-" + i + ".png", 64, 0, false, 0));
		}
		FlakyReports.failing = true;
		String failedJob = tasks.enqueue(FlakyReports.TASK, new FlakyReports.Report("<b>quarterly</b>"));
		await().atMost(TIMEOUT)
			.until(() -> stats(tasks, "images").processed() == processedBefore + THUMBNAILS
					&& stats(tasks, REPORTS).failed() == 1);

		Dashboard page = signIn(baseUrls.get(0));
		List<String> members = clusterNodes(contexts.get(0)).members().stream().map(NodeInfo::id).sorted().toList();
		page.awaitUntil("three nodes", () -> page.nodes().equals(members));
		page.awaitUntil("the images queue's counts",
				() -> page.cell("images", "processed").equals(String.valueOf(processedBefore + THUMBNAILS)));
		page.awaitUntil("the reports queue's failed job", () -> page.cell(REPORTS, "failed-count").equals("1"));
		page.awaitUntil("a chart of the images queue with bars", () -> page.bars("images", "bar-done") > 0);
		assertThat(page.bars(REPORTS, "bar-failed")).isPositive();

		page.click("#queues tr[data-queue='" + REPORTS + "'] button");
		page.awaitUntil("the failed job in the queue's details",
				() -> page.count("#failed tr[data-id='" + failedJob + "']") == 1);
		page.awaitUntil("the queue's chart of the last hour, a bar a minute",
				() -> page.count("#queue-chart svg.chart[data-slots='60'] rect.bar-failed") > 0);
		page.click("#window-day");
		page.awaitUntil("the queue's chart of the last day, a bar per 15 minutes",
				() -> page.count("#queue-chart svg.chart[data-slots='96'] rect.bar-failed") > 0);
		page.click("#window-hour");
		page.awaitUntil("the last hour again", () -> page.count("#queue-chart svg.chart[data-slots='60']") == 1);
		// The exception's message and the arguments are shown as text, never as markup.
		String row = "#failed tr[data-id='" + failedJob + "']";
		assertThat(page.text(row + " .message")).contains("<b>quarterly</b> is not ready");
		assertThat(page.text(row + " .args")).contains("<b>quarterly</b>");
		assertThat(page.count("#failed b")).isZero();
		screenshot("failed");

		FlakyReports.failing = false;
		page.click(row + " button.retry");
		page.awaitUntil("no failed job left",
				() -> page.cell(REPORTS, "failed-count").equals("0") && page.count("#failed tr[data-id]") == 0);
		page.awaitUntil("the retried job done", () -> page.cell(REPORTS, "processed").equals("1"));
		assertThat(page.text("#notice")).contains("Retried job " + failedJob);
		screenshot("retried");
		QueueStats reports = stats(tasks, REPORTS);
		assertThat(reports.failed()).isZero();
		assertThat(reports.processed()).isEqualTo(1);
		assertThat(tasks.failed(REPORTS)).isEmpty();
	}

	private Dashboard signIn(String base) {
		this.driver.get(base + "/cohort/");
		awaitUntil("the login form", () -> this.driver.getCurrentUrl().endsWith("/login"));
		this.driver.findElement(By.id("username")).sendKeys("admin");
		this.driver.findElement(By.id("password")).sendKeys("admin");
		this.driver.findElement(By.cssSelector("button[type=submit]")).click();
		Dashboard page = new Dashboard(this.driver);
		page.awaitUntil("the dashboard, signed in",
				() -> "true".equals(page.script("return document.body.dataset.ready || '';")));
		return page;
	}

	private void screenshot(String name) {
		try {
			Path target = Path.of("target", "dashboard-" + name + ".png");
			Files.createDirectories(target.getParent());
			Path shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not save the screenshot " + name, ex);
		}
	}

	private void awaitUntil(String what, BooleanSupplier condition) {
		new WebDriverWait(this.driver, TIMEOUT).withMessage(() -> what + "; page " + this.driver.getCurrentUrl())
			.until((ignored) -> condition.getAsBoolean());
	}

	private static QueueStats stats(ClusterTasks tasks, String queue) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals(queue))
			.findFirst()
			.orElse(new QueueStats(queue, 0, 0, 0, 0, 0, 0, 0, 0, null));
	}

	private static ClusterNodes clusterNodes(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class);
	}

	/**
	 * A task of the test's own that fails while {@link #failing} is set: its job fails
	 * for good (no retries), and a retry from the dashboard then succeeds. Every node of
	 * this test, in this JVM, has it.
	 */
	static class FlakyReports {

		static final String TASK = "flaky-report";

		static volatile boolean failing = true;

		@ClusterTask(name = TASK, queue = REPORTS)
		void run(Report report) {
			if (failing) {
				throw new IllegalStateException("The report " + report.name() + " is not ready");
			}
		}

		/**
		 * The job's arguments.
		 *
		 * @param name the report
		 */
		record Report(String name) {
		}

	}

	/** The dashboard in the browser, read through its elements. */
	private static final class Dashboard {

		private final WebDriver driver;

		Dashboard(WebDriver driver) {
			this.driver = driver;
		}

		@SuppressWarnings("unchecked")
		List<String> nodes() {
			return ((List<String>) script(
					"return Array.from(document.querySelectorAll('#nodes tr[data-id]')).map((tr) => tr.dataset.id);"))
				.stream()
				.sorted()
				.toList();
		}

		String cell(String queue, String column) {
			Object text = script(
					"const td = document.querySelector(\"#queues tr[data-queue='\" + arguments[0] + \"'] td.\" + arguments[1]);"
							+ "return td ? td.textContent : '';",
					queue, column);
			return String.valueOf(text);
		}

		long bars(String queue, String kind) {
			return count("#queues tr[data-queue='" + queue + "'] svg.chart rect." + kind);
		}

		long count(String selector) {
			return (Long) script("return document.querySelectorAll(arguments[0]).length;", selector);
		}

		String text(String selector) {
			return String.valueOf(
					script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", selector));
		}

		void click(String selector) {
			WebElement element = this.driver.findElement(By.cssSelector(selector));
			element.click();
		}

		Object script(String script, Object... args) {
			return ((JavascriptExecutor) this.driver).executeScript(script, args);
		}

		void awaitUntil(String what, BooleanSupplier condition) {
			new WebDriverWait(this.driver, TIMEOUT).withMessage(() -> what + "; " + diagnostics())
				.until((ignored) -> condition.getAsBoolean());
		}

		private String diagnostics() {
			String console;
			try {
				console = this.driver.manage()
					.logs()
					.get(LogType.BROWSER)
					.getAll()
					.stream()
					.map(LogEntry::toString)
					.collect(Collectors.joining("\n  "));
			}
			catch (RuntimeException ex) {
				console = "(unavailable: " + ex + ")";
			}
			return "page " + this.driver.getCurrentUrl() + ": error '" + text("#error") + "', nodes " + nodes()
					+ "; console:\n  " + console;
		}

	}

}
