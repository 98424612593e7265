package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a worker says, and what its jobs see, when Redis fails under them (a real
 * {@code redis-server}, killed or frozen): a failure Redis did not record is not reported
 * as a failure for good, and a job learns its lease lapsed by the worker's own clock,
 * without waiting for Redis.
 */
class TaskFaultSignalsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private RedisServer redis;

	private TestNodes nodes;

	private final Logger tasksLogger = (Logger) LoggerFactory.getLogger("dev.cohort.tasks");

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	@BeforeEach
	void start() {
		// Every write on disk before Redis answers: a kill loses nothing.
		this.redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
		this.nodes = TestNodes.redis(this.redis);
	}

	@AfterEach
	void stop() {
		this.tasksLogger.detachAppender(this.log);
		try {
			if (this.redis.isRunning()) {
				this.redis.resume();
			}
			this.nodes.close();
		}
		finally {
			this.redis.close();
		}
	}

	@Test
	void aFailureRedisDidNotRecordIsNotLoggedAsAFailureForGoodAndTheJobRunsAgain() {
		this.nodes.common().put("spring.data.redis.timeout", "2s");
		ConfigurableApplicationContext node = startNode();
		TaskEndpoints endpoints = node.getBean(TaskEndpoints.class);
		String id = node.getBean(ClusterTasks.class).enqueue("fail-first-when-released", new Greeting("hi", 1));
		await().atMost(WAIT).until(() -> endpoints.blocked.get() == 1);
		this.redis.kill();
		// The first attempt fails now, with no retries left; Redis is gone.
		endpoints.release.countDown();
		await().atMost(WAIT)
			.until(() -> warnings().stream()
				.anyMatch((line) -> line.startsWith("Job " + id + " of task 'fail-first-when-released' failed with "
						+ "no retries left (error: java.lang.IllegalStateException: attempt 1 fails) on attempt 1, "
						+ "but Redis did not confirm that this was recorded (")));
		this.redis.restart();
		// Redis kept the job, taken under a lease nobody renews: once it lapsed, the
		// worker takes it back and it runs again.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> endpoints.runs.stream().anyMatch((run) -> run.jobId().equals(id)));
		assertThat(endpoints.runs).filteredOn((run) -> run.jobId().equals(id))
			.singleElement()
			.satisfies((run) -> assertThat(run.attempt()).isEqualTo(2));
		assertThat(node.getBean(ClusterTasks.class).failed("default")).isEmpty();
		assertThat(warnings()).noneMatch((line) -> line.contains("failed for good"));
	}

	@Test
	void aJobSeesItIsCancelledOnceItsLeaseLapsedByTheWorkersClockThoughNoRenewalAnswered() {
		// Renewals wait up to 30 s on a frozen Redis: none answers within the test.
		this.nodes.common().put("spring.data.redis.timeout", "30s");
		ConfigurableApplicationContext node = startNode();
		TaskEndpoints endpoints = node.getBean(TaskEndpoints.class);
		String id = node.getBean(ClusterTasks.class).enqueue("watch-lease", null);
		await().atMost(WAIT).until(() -> endpoints.watched != null);
		JobContext first = endpoints.watched;
		assertThat(first.jobId()).isEqualTo(id);
		// Renewed every third of a lease while Redis answers.
		await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
		assertThat(first.isCancelled()).isFalse();
		this.redis.pause();
		try {
			// A lease after the last renewal sent before the freeze, long before any
			// renewal could answer.
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(first::isCancelled);
		}
		finally {
			this.redis.resume();
		}
		// Told to stop (and interrupted), the job is handed back and runs again.
		await().atMost(WAIT).until(() -> endpoints.watchedAttempts.size() == 2);
		assertThat(endpoints.watched.jobId()).isEqualTo(id);
		assertThat(endpoints.watched.attempt()).isEqualTo(2);
		assertThat(node.getBean(ClusterTasks.class).failed("default")).isEmpty();
		assertThat(warnings()).anyMatch((line) -> line.startsWith("Job " + id
				+ " of task 'watch-lease' was told to stop on attempt 1: its lease lapsed by this worker's clock"));
	}

	/**
	 * Starts a node with a lease of a second, then captures the log: Spring Boot sets the
	 * logging up again as a node starts.
	 */
	private ConfigurableApplicationContext startNode() {
		ConfigurableApplicationContext node = this.nodes.start("cluster.tasks.lease=1s");
		this.log.start();
		this.tasksLogger.addAppender(this.log);
		return node;
	}

	private List<String> warnings() {
		return List.copyOf(this.log.list)
			.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

}
