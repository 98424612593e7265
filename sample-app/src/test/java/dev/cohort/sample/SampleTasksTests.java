package dev.cohort.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.sample.tasks.Enqueued;
import dev.cohort.sample.tasks.EnqueuedBatch;
import dev.cohort.sample.tasks.FailedJobView;
import dev.cohort.sample.tasks.HeartbeatReport;
import dev.cohort.sample.tasks.Thumbnail;
import dev.cohort.sample.tasks.ThumbnailBatchRequest;
import dev.cohort.sample.tasks.ThumbnailRequest;
import dev.cohort.sample.tasks.ThumbnailTasks;
import dev.cohort.sample.tasks.TasksView;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.QueueStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task endpoints on a solitary node (local transport, role {@code all}: it enqueues
 * the jobs and runs them), over HTTP. The recurring report runs every second here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.port=1", "sample.report-frequency=1s" })
class SampleTasksTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final ParameterizedTypeReference<List<FailedJobView>> FAILED = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private ClusterNodes clusterNodes;

	@Autowired
	private ThumbnailTasks thumbnailTasks;

	private RestClient http;

	private String self;

	@BeforeEach
	void createClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.self = this.clusterNodes.self().id();
	}

	@Test
	void thumbnailEnqueuedOverHttpIsMadeByTheWorker() {
		long processed = images().processed();
		long made = this.thumbnailTasks.made();
		ResponseEntity<Enqueued> response = this.http.post()
			.uri("/tasks/thumbnails")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("image", "cat.png"))
			.retrieve()
			.toEntity(Enqueued.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		Enqueued enqueued = response.getBody();
		assertThat(enqueued.jobId()).startsWith("images:");
		assertThat(enqueued.queue()).isEqualTo("images");
		assertThat(enqueued.enqueuedBy()).isEqualTo(this.self);
		assertThat(response.getHeaders().getLocation()).hasToString("/tasks/thumbnails/" + enqueued.jobId());

		Thumbnail thumbnail = awaitThumbnail(this.http, enqueued.jobId());
		assertThat(thumbnail.jobId()).isEqualTo(enqueued.jobId());
		assertThat(thumbnail.image()).isEqualTo("cat.png");
		assertThat(thumbnail.width()).isEqualTo(ThumbnailRequest.DEFAULT_WIDTH);
		assertThat(thumbnail.path()).isEqualTo("thumbnails/128/cat.png");
		assertThat(thumbnail.madeBy()).isEqualTo(this.self);
		assertThat(thumbnail.attempt()).isEqualTo(1);
		assertThat(thumbnail.fencingToken()).isPositive();
		// Counted once the job is settled, a moment after its thumbnail is recorded.
		await().atMost(WAIT).untilAsserted(() -> assertThat(images().processed()).isGreaterThan(processed));
		assertThat(this.thumbnailTasks.made()).isGreaterThan(made);
		TasksView view = tasks();
		assertThat(view.nodeId()).isEqualTo(this.self);
		assertThat(view.runsTasks()).isTrue();
		assertThat(view.queues()).extracting(QueueStats::queue).contains("images", "default");
	}

	@Test
	void thumbnailsEnqueuedAsABatchAreMadeEachForItsImage() {
		List<String> images = IntStream.range(0, 5).mapToObj((i) -> "batch-" + i + ".png").toList();
		ResponseEntity<EnqueuedBatch> response = postBatch(Map.of("images", images)).retrieve()
			.toEntity(EnqueuedBatch.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		EnqueuedBatch enqueued = response.getBody();
		assertThat(enqueued.queue()).isEqualTo("images");
		assertThat(enqueued.enqueuedBy()).isEqualTo(this.self);
		assertThat(enqueued.jobIds()).hasSize(images.size()).doesNotHaveDuplicates().allSatisfy((jobId) -> {
			assertThat(jobId).startsWith("images:");
		});
		// The ids come in the images' order: each job made the thumbnail of its image.
		for (int i = 0; i < images.size(); i++) {
			String jobId = enqueued.jobIds().get(i);
			Thumbnail thumbnail = awaitThumbnail(this.http, jobId);
			assertThat(thumbnail.jobId()).isEqualTo(jobId);
			assertThat(thumbnail.image()).isEqualTo(images.get(i));
			assertThat(thumbnail.width()).isEqualTo(ThumbnailRequest.DEFAULT_WIDTH);
			assertThat(thumbnail.path()).isEqualTo("thumbnails/128/" + images.get(i));
			assertThat(thumbnail.madeBy()).isEqualTo(this.self);
			assertThat(thumbnail.attempt()).isEqualTo(1);
		}
	}

	@Test
	void badBatchRequestsAreRefused() {
		assertThat(status(postBatch(Map.of()))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(postBatch(Map.of("images", List.of())))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(postBatch(Map.of("images", List.of("a.png", " "))))).isEqualTo(HttpStatus.BAD_REQUEST);
		List<String> tooMany = IntStream.rangeClosed(0, ThumbnailBatchRequest.MAX_IMAGES)
			.mapToObj((i) -> "too-many-" + i + ".png")
			.toList();
		assertThat(status(postBatch(Map.of("images", tooMany)))).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void aJobThatFailsOnceIsMadeOnItsSecondAttempt() {
		long retries = images().retries();
		String jobId = enqueue(Map.of("image", "flaky.png", "width", 64, "failAttempts", 1));
		Thumbnail thumbnail = awaitThumbnail(this.http, jobId);
		assertThat(thumbnail.attempt()).isEqualTo(2);
		assertThat(thumbnail.width()).isEqualTo(64);
		assertThat(images().retries()).isEqualTo(retries + 1);
		assertThat(failed()).extracting(FailedJobView::id).doesNotContain(jobId);
	}

	@Test
	void aFailingJobEndsAmongTheFailedJobsAfterItsRetriesAndCanBeRetried() {
		long failures = images().failures();
		long retries = images().retries();
		String jobId = enqueue(Map.of("image", "broken.png", "fail", true));
		// Three attempts, 1s and then 2s apart.
		FailedJobView failed = awaitFailed(jobId);
		assertThat(failed.task()).isEqualTo(ThumbnailTasks.MAKE_THUMBNAIL);
		assertThat(failed.queue()).isEqualTo("images");
		assertThat(failed.reason()).isEqualTo("error");
		assertThat(failed.attempts()).isEqualTo(3);
		assertThat(failed.node()).isEqualTo(this.self);
		assertThat(failed.exception()).isEqualTo(IllegalStateException.class.getName());
		assertThat(failed.message()).contains("broken.png").contains("asked to fail");
		assertThat(failed.args()).contains("\"image\":\"broken.png\"").contains("\"fail\":true");
		assertThat(images().failures()).isEqualTo(failures + 1);
		assertThat(images().retries()).isEqualTo(retries + 2);
		assertThat(status(this.http.get().uri("/tasks/thumbnails/{jobId}", jobId))).isEqualTo(HttpStatus.NOT_FOUND);

		ResponseEntity<Enqueued> retried = this.http.post()
			.uri("/tasks/failed/{jobId}/retry", jobId)
			.retrieve()
			.toEntity(Enqueued.class);
		assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(retried.getBody().jobId()).isEqualTo(jobId);
		// It runs again, three attempts afresh, and fails again.
		await().atMost(WAIT).untilAsserted(() -> assertThat(images().failures()).isEqualTo(failures + 2));
		FailedJobView again = awaitFailed(jobId);
		assertThat(again.attempts()).isEqualTo(3);
		assertThat(again.failedAt()).isAfter(failed.failedAt());
		assertThat(images().retries()).isEqualTo(retries + 4);

		assertThat(status(this.http.post().uri("/tasks/failed/{jobId}/retry", "images:no-such-job")))
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(status(this.http.post().uri("/tasks/failed/{jobId}/retry", "not-a-job-id")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void aRunningJobIsShownAndCanBeCancelled() {
		String jobId = enqueue(Map.of("image", "huge.png", "work", "30s"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(tasks().workingOn().get(this.self)).isNotNull().anySatisfy((job) -> {
				assertThat(job.id()).isEqualTo(jobId);
				assertThat(job.task()).isEqualTo(ThumbnailTasks.MAKE_THUMBNAIL);
				assertThat(job.state()).isEqualTo(JobInfo.State.RUNNING);
				assertThat(job.node()).isEqualTo(this.self);
				assertThat(job.startedAt()).isNotNull();
			}));
		assertThat(images().running()).isPositive();
		long started = System.nanoTime();
		assertThat(status(this.http.delete().uri("/tasks/jobs/{jobId}", jobId))).isEqualTo(HttpStatus.NO_CONTENT);
		FailedJobView cancelled = awaitFailed(jobId);
		assertThat(cancelled.reason()).isEqualTo("cancelled");
		assertThat(cancelled.attempts()).isEqualTo(1);
		// Interrupted at once, not after its 30s of work.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(tasks().workingOn().values().stream().flatMap(List::stream).map(JobInfo::id)).doesNotContain(jobId);

		assertThat(status(this.http.delete().uri("/tasks/jobs/{jobId}", "images:no-such-job")))
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(status(this.http.delete().uri("/tasks/jobs/{jobId}", "not-a-job-id")))
			.isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void theRecurringReportRunsEveryPeriod() {
		HeartbeatReport first = await().atMost(WAIT).until(this::report, (report) -> report != null);
		assertThat(first.nodeId()).isEqualTo(this.self);
		assertThat(first.liveMembers()).isEqualTo(1);
		// Periods start at multiples of the frequency (1s here) since the epoch.
		assertThat(first.period().toEpochMilli() % 1000).isZero();
		assertThat(first.ranAt()).isAfterOrEqualTo(first.period());
		HeartbeatReport later = await().atMost(WAIT)
			.until(this::report, (report) -> report.period().isAfter(first.period()));
		assertThat(Duration.between(first.period(), later.period()).toMillis() % 1000).isZero();
		assertThat(later.ranAt()).isAfter(first.ranAt());
	}

	@Test
	void imagesNoWorkerCanReadAreRefusedByTheTaskMiddleware() {
		assertThat(status(post(Map.of("image", "notes.txt")))).isEqualTo(HttpStatusCode.valueOf(422));
		assertThat(status(this.http.post()
			.uri("/tasks/thumbnails/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("images", List.of("a.png", "b.svg"))))).isEqualTo(HttpStatusCode.valueOf(422));
	}

	@Test
	void badThumbnailRequestsAreRefused() {
		assertThat(status(post(Map.of("width", 64)))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(post(Map.of("image", " ")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(post(Map.of("image", "cat.png", "width", 4)))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(post(Map.of("image", "cat.png", "work", "soon")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(post(Map.of("image", "cat.png", "work", "2h")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(post(Map.of("image", "cat.png", "failAttempts", -1)))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(this.http.get().uri("/tasks/thumbnails/{jobId}", "images:never-enqueued")))
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	private String enqueue(Map<String, Object> body) {
		return post(body).retrieve().body(Enqueued.class).jobId();
	}

	private RestClient.RequestHeadersSpec<?> postBatch(Map<String, Object> body) {
		return this.http.post().uri("/tasks/thumbnails/batch").contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private RestClient.RequestHeadersSpec<?> post(Map<String, Object> body) {
		return this.http.post().uri("/tasks/thumbnails").contentType(MediaType.APPLICATION_JSON).body(body);
	}

	static Thumbnail awaitThumbnail(RestClient node, String jobId) {
		return await().atMost(WAIT)
			.until(() -> node.get()
				.uri("/tasks/thumbnails/{jobId}", jobId)
				.exchange((request, response) -> response.getStatusCode().is2xxSuccessful()
						? response.bodyTo(Thumbnail.class) : null),
					(thumbnail) -> thumbnail != null);
	}

	private FailedJobView awaitFailed(String jobId) {
		return await().atMost(WAIT)
			.until(() -> failed().stream().filter((job) -> job.id().equals(jobId)).findFirst().orElse(null),
					(job) -> job != null);
	}

	private List<FailedJobView> failed() {
		return this.http.get().uri("/tasks/failed").retrieve().body(FAILED);
	}

	private TasksView tasks() {
		return this.http.get().uri("/tasks").retrieve().body(TasksView.class);
	}

	private QueueStats images() {
		return tasks().queues()
			.stream()
			.filter((stats) -> stats.queue().equals("images"))
			.findFirst()
			.orElse(new QueueStats("images", 0, 0, 0, 0, 0, 0, 0, 0, null));
	}

	private HeartbeatReport report() {
		return this.http.get()
			.uri("/tasks/report")
			.exchange((request, response) -> response.getStatusCode().is2xxSuccessful()
					? response.bodyTo(HeartbeatReport.class) : null);
	}

	private static HttpStatusCode status(RestClient.RequestHeadersSpec<?> request) {
		return request.exchange((req, response) -> response.getStatusCode());
	}

}
