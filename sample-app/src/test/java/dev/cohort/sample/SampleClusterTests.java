package dev.cohort.sample;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cohort.sample.announcements.ReceivedAnnouncement;
import dev.cohort.sample.cache.NoteView;
import dev.cohort.sample.cache.Quote;
import dev.cohort.sample.cache.QuoteOfTheDay;
import dev.cohort.sample.cache.Report;
import dev.cohort.sample.cache.Visits;
import dev.cohort.sample.cluster.ClusterView;
import dev.cohort.sample.cluster.NodeView;
import dev.cohort.sample.rpc.ClusterStatus;
import dev.cohort.sample.rpc.NodeOutcome;
import dev.cohort.sample.rpc.NodeStatus;
import dev.cohort.sample.tasks.Enqueued;
import dev.cohort.sample.tasks.HeartbeatReport;
import dev.cohort.sample.tasks.HeartbeatReporter;
import dev.cohort.sample.tasks.TasksView;
import dev.cohort.sample.tasks.Thumbnail;
import dev.cohort.sample.tasks.ThumbnailTasks;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.tasks.internal.TaskWorker;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of the sample, one server and two workers, as one cluster on a Redis
 * server of the test's own, talking to each other over HTTP as a user would, sharing the
 * cluster cache and the task queue (whose recurring report runs every second here).
 */
class SampleClusterTests {

	private static final String TOKEN = "sample-cluster-tests-token-0123456789abcdef";

	private static final ParameterizedTypeReference<List<ReceivedAnnouncement>> RECEIVED = new ParameterizedTypeReference<>() {
	};

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private static final List<RestClient> nodes = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		redis = RedisServer.start();
		String namespace = "sample-" + UUID.randomUUID().toString().substring(0, 8);
		start(namespace, "server");
		start(namespace, "worker");
		start(namespace, "worker");
	}

	private static void start(String namespace, String role) {
		// Command line arguments, not SpringApplicationBuilder.properties(): those are
		// default properties, which application-redis.yml would override.
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("redis", role)
			.run("--server.port=0", "--cluster.namespace=" + namespace, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--cluster.server-token=" + TOKEN,
					"--cluster.heartbeat-interval=200ms", "--cluster.node-timeout=1500ms",
					"--sample.report-frequency=1s");
		contexts.add(context);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		nodes.add(RestClient.create("http://127.0.0.1:" + port));
	}

	@AfterAll
	static void stopCluster() {
		contexts.forEach(ConfigurableApplicationContext::close);
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void everyNodeSeesTheThreeMembersAndAnAnnouncementReachesTheOthers() {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			for (RestClient node : nodes) {
				assertThat(cluster(node).members()).hasSize(3);
			}
		});
		ClusterView view = cluster(nodes.get(0));
		assertThat(view.self().role()).isEqualTo("server");
		assertThat(view.members()).extracting(NodeView::role).containsExactlyInAnyOrder("server", "worker", "worker");
		assertThat(view.members()).extracting(NodeView::pid).containsOnly(ProcessHandle.current().pid());

		String text = "hello " + UUID.randomUUID();
		HttpStatusCode status = nodes.get(0)
			.post()
			.uri("/announcements")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", text))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(status).isEqualTo(HttpStatus.ACCEPTED);

		for (RestClient node : nodes) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(node.get().uri("/announcements").retrieve().body(RECEIVED))
					.anySatisfy((received) -> {
						assertThat(received.text()).isEqualTo(text);
						assertThat(received.origin()).isEqualTo(view.self().id());
						assertThat(received.from()).isEqualTo(view.self().id());
						assertThat(received.target()).isEqualTo("*");
					}));
		}
	}

	@Test
	void announcementToOneNodeReachesOnlyThatNode() {
		await().atMost(Duration.ofSeconds(15)).until(() -> cluster(nodes.get(2)).members().size() == 3);
		String workerId = cluster(nodes.get(2)).self().id();
		String text = "direct " + UUID.randomUUID();
		nodes.get(0)
			.post()
			.uri("/announcements/{nodeId}", workerId)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", text))
			.retrieve()
			.toBodilessEntity();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nodes.get(2).get().uri("/announcements").retrieve().body(RECEIVED))
				.anySatisfy((received) -> {
					assertThat(received.text()).isEqualTo(text);
					assertThat(received.target()).isEqualTo(workerId);
				}));
		// Node 1 must never list the direct message. Wait for a later broadcast to reach
		// it first, so that the direct message has had its chance to arrive there too.
		String marker = "marker " + UUID.randomUUID();
		nodes.get(0)
			.post()
			.uri("/announcements")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", marker))
			.retrieve()
			.toBodilessEntity();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nodes.get(1).get().uri("/announcements").retrieve().body(RECEIVED))
				.extracting(ReceivedAnnouncement::text)
				.contains(marker));
		assertThat(nodes.get(1).get().uri("/announcements").retrieve().body(RECEIVED))
			.extracting(ReceivedAnnouncement::text)
			.doesNotContain(text);
	}

	@Test
	void rpcStatusBroadcastShowsTheThreeNodesWithTheirValues() {
		await().atMost(Duration.ofSeconds(15)).until(() -> cluster(nodes.get(0)).members().size() == 3);
		ClusterView view = cluster(nodes.get(0));
		ClusterStatus status = nodes.get(0).get().uri("/rpc/status").retrieve().body(ClusterStatus.class);
		assertThat(status).isNotNull();
		assertThat(status.allSucceeded()).isTrue();
		assertThat(status.nodes()).extracting(NodeOutcome::nodeId)
			.containsExactlyElementsOf(view.members().stream().map(NodeView::id).toList());
		assertThat(status.nodes()).allSatisfy((node) -> {
			assertThat(node.outcome()).isEqualTo("value");
			assertThat(node.status()).isNotNull();
			assertThat(node.status().nodeId()).isEqualTo(node.nodeId());
		});
		assertThat(status.nodes()).extracting((node) -> node.status().role())
			.containsExactlyInAnyOrder("server", "worker", "worker");

		String workerId = cluster(nodes.get(2)).self().id();
		NodeStatus worker = nodes.get(0).get().uri("/rpc/status/{nodeId}", workerId).retrieve().body(NodeStatus.class);
		assertThat(worker).isNotNull();
		assertThat(worker.nodeId()).isEqualTo(workerId);
		assertThat(worker.role()).isEqualTo("worker");
	}

	@Test
	void noteSavedThroughOneNodeIsReadThroughAnother() {
		String serverId = cluster(nodes.get(0)).self().id();
		String key = "note-" + UUID.randomUUID();
		nodes.get(0)
			.put()
			.uri("/cache/notes/{key}?ttl=1m", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "shared by all"))
			.retrieve()
			.toBodilessEntity();
		NoteView note = nodes.get(1).get().uri("/cache/notes/{key}", key).retrieve().body(NoteView.class);
		assertThat(note).isNotNull();
		assertThat(note.text()).isEqualTo("shared by all");
		assertThat(note.savedBy()).isEqualTo(serverId);
		assertThat(note.expiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));

		HttpStatusCode deleted = nodes.get(2)
			.delete()
			.uri("/cache/notes/{key}", key)
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(deleted).isEqualTo(HttpStatus.NO_CONTENT);
		HttpStatusCode afterDelete = nodes.get(0)
			.get()
			.uri("/cache/notes/{key}", key)
			.exchange((request, response) -> response.getStatusCode());
		assertThat(afterDelete).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void quoteComputedOnOneNodeIsAHitOnAnother() {
		String serverId = cluster(nodes.get(0)).self().id();
		LocalDate date = LocalDate.of(2032, 2, 29);
		QuoteOfTheDay onServer = contexts.get(0).getBean(QuoteOfTheDay.class);
		QuoteOfTheDay onWorker = contexts.get(1).getBean(QuoteOfTheDay.class);
		long serverComputations = onServer.computations();
		long workerComputations = onWorker.computations();

		Quote computed = nodes.get(0).get().uri("/cache/quote?date={date}", date).retrieve().body(Quote.class);
		assertThat(computed).isNotNull();
		assertThat(computed.computedBy()).isEqualTo(serverId);
		Quote hit = nodes.get(1).get().uri("/cache/quote?date={date}", date).retrieve().body(Quote.class);
		assertThat(hit).isEqualTo(computed);
		assertThat(onServer.computations()).isEqualTo(serverComputations + 1);
		assertThat(onWorker.computations()).isEqualTo(workerComputations);
	}

	@Test
	void visitsAndReportsAreSharedByTheNodes() {
		Visits first = nodes.get(0).post().uri("/cache/visits").retrieve().body(Visits.class);
		Visits second = nodes.get(2).post().uri("/cache/visits").retrieve().body(Visits.class);
		assertThat(second.count()).isEqualTo(first.count() + 1);
		assertThat(second.nodeId()).isNotEqualTo(first.nodeId());

		Report onWorker1 = nodes.get(1).post().uri("/cache/report").retrieve().body(Report.class);
		Report onWorker2 = nodes.get(2).post().uri("/cache/report").retrieve().body(Report.class);
		assertThat(onWorker1.nodeId()).isEqualTo(cluster(nodes.get(1)).self().id());
		assertThat(onWorker2.nodeId()).isEqualTo(cluster(nodes.get(2)).self().id());
		assertThat(onWorker2.fencingToken()).isGreaterThan(onWorker1.fencingToken());
		assertThat(nodes.get(0).get().uri("/cache/report").retrieve().body(Report.class)).isEqualTo(onWorker2);
	}

	@Test
	void jobsEnqueuedThroughTheServerRunOnTheWorkers() {
		List<String> workerIds = List.of(cluster(nodes.get(1)).self().id(), cluster(nodes.get(2)).self().id());
		// Only the workers run a task worker, but every node knows the tasks.
		assertThat(contexts.get(0).getBeanProvider(TaskWorker.class).getIfAvailable()).isNull();
		assertThat(contexts.get(1).getBean(TaskWorker.class).settings().queues()).containsExactly("images", "default");
		assertThat(contexts.get(2).getBean(TaskWorker.class).isRunning()).isTrue();
		for (ConfigurableApplicationContext context : contexts) {
			assertThat(context.getBean(ThumbnailTasks.class)).isNotNull();
		}
		List<String> jobIds = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Enqueued enqueued = nodes.get(0)
				.post()
				.uri("/tasks/thumbnails")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("image", "photo-" + i + ".jpg", "width", 200))
				.retrieve()
				.body(Enqueued.class);
			assertThat(enqueued.queue()).isEqualTo("images");
			assertThat(enqueued.enqueuedBy()).isEqualTo(cluster(nodes.get(0)).self().id());
			jobIds.add(enqueued.jobId());
		}
		for (String jobId : jobIds) {
			// Read through the other worker, and the server.
			Thumbnail thumbnail = SampleTasksTests.awaitThumbnail(nodes.get(2), jobId);
			assertThat(thumbnail.madeBy()).isIn(workerIds);
			assertThat(thumbnail.attempt()).isEqualTo(1);
			assertThat(nodes.get(0).get().uri("/tasks/thumbnails/{jobId}", jobId).retrieve().body(Thumbnail.class))
				.isEqualTo(thumbnail);
		}
		assertThat(contexts.get(0).getBean(ThumbnailTasks.class).attempts()).isZero();
		assertThat(contexts.get(1).getBean(ThumbnailTasks.class).attempts()
				+ contexts.get(2).getBean(ThumbnailTasks.class).attempts())
			.isGreaterThanOrEqualTo(jobIds.size());

		// Every node sees the same queue.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (RestClient node : nodes) {
				assertThat(node.get().uri("/tasks").retrieve().body(TasksView.class).queues())
					.filteredOn((stats) -> stats.queue().equals("images"))
					.singleElement()
					.extracting(QueueStats::processed)
					.isEqualTo((long) jobIds.size());
			}
		});
		TasksView onServer = nodes.get(0).get().uri("/tasks").retrieve().body(TasksView.class);
		assertThat(onServer.runsTasks()).isFalse();
		assertThat(onServer.workingOn()).doesNotContainKey(cluster(nodes.get(0)).self().id());
	}

	@Test
	void theRecurringReportRunsOnAWorker() {
		List<String> workerIds = List.of(cluster(nodes.get(1)).self().id(), cluster(nodes.get(2)).self().id());
		assertThat(contexts.get(0).getBeanProvider(RecurringScheduler.class).getIfAvailable()).isNull();
		HeartbeatReport first = await().atMost(Duration.ofSeconds(20))
			.until(() -> report(nodes.get(0)), (report) -> report != null);
		assertThat(first.nodeId()).isIn(workerIds);
		HeartbeatReport later = await().atMost(Duration.ofSeconds(20))
			.until(() -> report(nodes.get(0)), (report) -> report.period().isAfter(first.period()));
		assertThat(later.nodeId()).isIn(workerIds);
		assertThat(contexts.get(0).getBean(HeartbeatReporter.class).runs()).isZero();
		assertThat(contexts.get(1).getBean(HeartbeatReporter.class).runs()
				+ contexts.get(2).getBean(HeartbeatReporter.class).runs())
			.isGreaterThanOrEqualTo(2);
	}

	private static HeartbeatReport report(RestClient node) {
		return node.get()
			.uri("/tasks/report")
			.exchange((request, response) -> response.getStatusCode().is2xxSuccessful()
					? response.bodyTo(HeartbeatReport.class) : null);
	}

	private static ClusterView cluster(RestClient node) {
		return node.get().uri("/cluster").retrieve().body(ClusterView.class);
	}

}
