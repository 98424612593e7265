package dev.cohort.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code cluster} endpoint over HTTP, on a web node of a real Redis cluster that
 * exposes it: its JSON as a client reads it, and writes checked in Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext node;

	@BeforeEach
	void startANodeThatExposesTheEndpoint() {
		OperationsTestTasks.failing = true;
		this.node = this.nodes.startWeb(AbstractClusterOperationsTests.SOURCES,
				"management.endpoints.web.exposure.include=cluster");
	}

	@AfterEach
	void stop() {
		this.nodes.close();
	}

	@Test
	void theOverviewIsJsonWithTimesAsIsoText() throws Exception {
		ClusterLock lock = this.node.getBean(ClusterCache.class)
			.tryLock("http-lock", Duration.ofMinutes(1))
			.orElseThrow();
		JsonNode overview = get("/actuator/cluster", 200);
		String self = this.node.getBean(ClusterNodes.class).self().id();
		assertThat(overview.path("self").stringValue()).isEqualTo(self);
		assertThat(overview.path("readAt").isString()).isTrue();
		JsonNode node = overview.path("nodes").get(0);
		assertThat(node.path("id").stringValue()).isEqualTo(self);
		assertThat(node.path("role").stringValue()).isEqualTo("all");
		assertThat(node.path("startedAt").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat(node.path("lastHeartbeat").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		JsonNode held = overview.path("locks").get(0);
		assertThat(held.path("name").stringValue()).isEqualTo("http-lock");
		assertThat(held.path("fencingToken").asLong()).isEqualTo(lock.fencingToken());
		// The actuator's mapper writes durations as ISO-8601 text too.
		assertThat(Duration.parse(held.path("ttl").stringValue())).isPositive()
			.isLessThanOrEqualTo(Duration.ofMinutes(1));
		assertThat(overview.path("connectionsPerNode").path(self).asLong()).isZero();
		assertThat(overview.has("queues")).isTrue();
		assertThat(overview.has("workers")).isTrue();
		assertThat(overview.has("recurring")).isTrue();
		assertThat(overview.has("rooms")).isTrue();
	}

	@Test
	void selectorsReadOneNodeQueueAndHistoryAndAnswer404ForWhatIsNotThere() throws Exception {
		String self = this.node.getBean(ClusterNodes.class).self().id();
		assertThat(get("/actuator/cluster/nodes/" + self, 200).path("node").path("id").stringValue()).isEqualTo(self);
		String failed = failedJob();
		JsonNode queue = get("/actuator/cluster/queues/ops?from=0&count=5", 200);
		assertThat(queue.path("counts").path("failed").asLong()).isEqualTo(1);
		assertThat(queue.path("failed").get(0).path("id").stringValue()).isEqualTo(failed);
		assertThat(queue.path("failed").get(0).path("args").stringValue()).contains("***").doesNotContain("s3cr3t");
		assertThat(queue.path("lastHour").path("minutes")).hasSize(60);
		JsonNode history = get("/actuator/cluster/queues/ops/history?minutes=5", 200);
		assertThat(history.path("queue").stringValue()).isEqualTo("ops");
		assertThat(history.path("minutes")).hasSize(5);
		assertThat(history.path("minutes").get(4).path("start").isString()).isTrue();
		get("/actuator/cluster/nodes/no-such-node", 404);
		get("/actuator/cluster/queues/no-such-queue", 404);
		get("/actuator/cluster/rooms/no-such-room", 404);
		get("/actuator/cluster/gadgets/x", 404);
		get("/actuator/cluster/queues/ops?from=-1", 400);
		get("/actuator/cluster/queues/ops/history?minutes=100000", 400);
	}

	@Test
	void writesChangeRedisAndAreLoggedWithTheirActor(CapturedOutput output) throws Exception {
		String failed = failedJob();
		OperationsTestTasks.failing = false;
		JsonNode retried = send("POST", "/actuator/cluster/jobs/" + failed + "/retry", 200);
		assertThat(retried.path("operation").stringValue()).isEqualTo("retry-failed");
		assertThat(retried.path("changed").asBoolean()).isTrue();
		assertThat(redis().opsForZSet().score(keys().taskQueue("ops") + ":failed", failed)).isNull();
		await().atMost(WAIT).until(() -> !redis().opsForHash().hasKey(keys().taskQueue("ops") + ":jobs", failed));
		assertThat(output).contains("Operator 'anonymous' retried failed job '" + failed + "' of queue 'ops'");

		ClusterLock lock = this.node.getBean(ClusterCache.class)
			.tryLock("http-lock", Duration.ofMinutes(1))
			.orElseThrow();
		JsonNode released = send("DELETE", "/actuator/cluster/locks/http-lock", 200);
		assertThat(released.path("changed").asBoolean()).isTrue();
		assertThat(redis().hasKey(keys().cacheLock("http-lock"))).isFalse();
		assertThat(lock.isHeld()).isFalse();
		send("DELETE", "/actuator/cluster/locks/http-lock", 200);
		send("POST", "/actuator/cluster/jobs/not-a-job-id/retry", 400);
		send("POST", "/actuator/cluster/gadgets/x/retry", 400);
	}

	@Test
	void queuesArePagedPausedResumedAndEmptiedOverHttp(CapturedOutput output) throws Exception {
		String failed = failedJob();
		JsonNode paused = send("POST", "/actuator/cluster/queues/ops/pause", 200);
		assertThat(paused.path("operation").stringValue()).isEqualTo("pause-queue");
		assertThat(paused.path("changed").asBoolean()).isTrue();
		assertThat(redis().hasKey(keys().taskQueue("ops") + ":paused")).isTrue();
		ClusterTasks tasks = this.node.getBean(ClusterTasks.class);
		String first = tasks.enqueue("ops-flaky", AbstractClusterOperationsTests.SECRET_ARGS);
		String second = tasks.enqueue("ops-flaky", AbstractClusterOperationsTests.SECRET_ARGS);
		String later = tasks.enqueueIn(Duration.ofHours(1), "ops-flaky", AbstractClusterOperationsTests.SECRET_ARGS);
		assertThat(get("/actuator/cluster", 200).path("queues").get(0).path("paused").asBoolean()).isTrue();
		JsonNode page = get("/actuator/cluster/queues/ops/waiting?from=1&count=5", 200);
		assertThat(page).singleElement().satisfies((job) -> {
			assertThat(job.path("id").stringValue()).isEqualTo(second);
			assertThat(job.path("args").stringValue()).contains("***").doesNotContain("s3cr3t");
		});
		assertThat(get("/actuator/cluster/queues/ops/delayed?count=1", 200).get(0).path("id").stringValue())
			.isEqualTo(later);
		assertThat(get("/actuator/cluster/queues/ops/failed", 200).get(0).path("id").stringValue()).isEqualTo(failed);
		get("/actuator/cluster/queues/ops/waiting?from=-1", 400);
		get("/actuator/cluster/queues/ops/sideways", 404);
		JsonNode deleted = send("DELETE", "/actuator/cluster/queues/ops/jobs", 200);
		assertThat(deleted.path("operation").stringValue()).isEqualTo("delete-queue");
		assertThat(deleted.path("count").asLong()).isEqualTo(3);
		assertThat(redis().opsForHash().hasKey(keys().taskQueue("ops") + ":jobs", first)).isFalse();
		assertThat(send("POST", "/actuator/cluster/queues/ops/resume", 200).path("changed").asBoolean()).isTrue();
		assertThat(redis().hasKey(keys().taskQueue("ops") + ":paused")).isFalse();
		assertThat(output).contains("Operator 'anonymous' paused queue 'ops'")
			.contains("Operator 'anonymous' deleted all 3 waiting and delayed jobs of queue 'ops'")
			.contains("Operator 'anonymous' resumed queue 'ops'");
		send("DELETE", "/actuator/cluster/queues/ops/sideways", 400);
	}

	@Test
	void recurringTasksArePausedAndResumedOverHttp() throws Exception {
		ConfigurableApplicationContext ticking = this.nodes.startWeb(AbstractClusterOperationsTests.SOURCES,
				"management.endpoints.web.exposure.include=cluster", "test.tasks.recurring=true",
				"test.tasks.frequency=1h");
		assertThat(raw(ticking, "POST", "/actuator/cluster/recurring/tick/pause").statusCode()).isEqualTo(200);
		assertThat(redis().opsForSet().isMember(keys().taskRecurringPaused(), "tick")).isTrue();
		assertThat(raw(ticking, "POST", "/actuator/cluster/recurring/tick/resume").statusCode()).isEqualTo(200);
		assertThat(redis().opsForSet().isMember(keys().taskRecurringPaused(), "tick")).isFalse();
		assertThat(raw(ticking, "POST", "/actuator/cluster/recurring/ops-flaky/pause").statusCode()).isEqualTo(400);
	}

	@Test
	void theActorIsTheAuthenticatedUser(CapturedOutput output) {
		OperationsTestTasks.failing = true;
		String failed = failedJob();
		dev.cohort.operations.actuate.ClusterEndpoint endpoint = this.node
			.getBean(dev.cohort.operations.actuate.ClusterEndpoint.class);
		endpoint.delete("jobs", failed, () -> "alice");
		assertThat(redis().hasKey(keys().taskQueue("ops") + ":failed")).isFalse();
		assertThat(output).contains("Operator 'alice' deleted failed job '" + failed + "' of queue 'ops'");
	}

	@Test
	void readOnlyAccessKeepsTheReadsAndRefusesTheWrites() throws Exception {
		ConfigurableApplicationContext readOnly = this.nodes.startWeb(AbstractClusterOperationsTests.SOURCES,
				"management.endpoints.web.exposure.include=cluster", "management.endpoint.cluster.access=read-only");
		String failed = failedJob();
		assertThat(raw(readOnly, "GET", "/actuator/cluster").statusCode()).isEqualTo(200);
		assertThat(raw(readOnly, "POST", "/actuator/cluster/jobs/" + failed + "/retry").statusCode()).isBetween(400,
				499);
		assertThat(raw(readOnly, "DELETE", "/actuator/cluster/jobs/" + failed).statusCode()).isBetween(400, 499);
		assertThat(redis().opsForZSet().score(keys().taskQueue("ops") + ":failed", failed)).isNotNull();
	}

	@Test
	void notExposedOnTheWebUnlessAsked() throws Exception {
		ConfigurableApplicationContext plain = this.nodes.startWeb();
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(base(plain) + "/actuator/cluster")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
	}

	private String failedJob() {
		String job = this.node.getBean(ClusterTasks.class)
			.enqueue("ops-flaky", Map.of("secret", "s3cr3t", "who", "ann"));
		await().atMost(WAIT).until(() -> redis().opsForZSet().score(keys().taskQueue("ops") + ":failed", job) != null);
		return job;
	}

	private JsonNode get(String path, int status) throws Exception {
		return send("GET", path, status);
	}

	private JsonNode send(String method, String path, int status) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base(this.node) + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			// Boot's write operations consume JSON, even without a body.
			.header("Content-Type", "application/json")
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
		return (status == 200) ? this.json.readTree(response.body()) : this.json.missingNode();
	}

	private HttpResponse<String> raw(ConfigurableApplicationContext node, String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base(node) + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json")
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String base(ConfigurableApplicationContext node) {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	private ClusterKeys keys() {
		return this.node.getBean(ClusterKeys.class);
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(this.node.getBean(RedisConnectionFactory.class));
	}

}
