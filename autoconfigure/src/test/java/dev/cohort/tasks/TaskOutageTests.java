package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task queue while its Redis hangs (a real {@code redis-server} stopped with SIGSTOP)
 * or refuses the wake-up lists: timeouts still fire, the log stays readable, and an
 * enqueue that stored its job says so.
 */
class TaskOutageTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static RedisServer redis;

	private final TestNodes nodes = TestNodes.redis(redis);

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@AfterEach
	void closeNodes() {
		if (redis.isRunning()) {
			redis.resume();
		}
		this.nodes.close();
	}

	@Test
	void aJobTimesOutOnTimeWhileTheRenewalOfItsLeaseHangsOnRedis() {
		this.nodes.common().put("spring.data.redis.timeout", "30s");
		ConfigurableApplicationContext node = this.nodes.start("cluster.tasks.lease=300ms", "test.tasks.timeout=2s");
		TaskEndpoints endpoints = node.getBean(TaskEndpoints.class);
		node.getBean(ClusterTasks.class).enqueue("timed", null);
		await().atMost(WAIT).until(() -> endpoints.timedStarted.get() == 1);
		redis.pause();
		try {
			// Renewals, every 100 ms, now wait up to 30 s for Redis; the 2 s timeout may
			// not wait for them.
			await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.timedInterrupted.get() == 1);
		}
		finally {
			redis.resume();
		}
	}

	@Test
	void anOutageLogsABoundedNumberOfWarnings() {
		// Short, so that each try fails quickly during the outage; not shorter, since it
		// also bounds the handshake of the node's connections at start-up.
		this.nodes.common().put("spring.data.redis.timeout", "1s");
		ConfigurableApplicationContext node = this.nodes.start("test.tasks.recurring=true", "test.tasks.frequency=1h",
				"cluster.tasks.scheduler-lease=600ms", "cluster.tasks.lease=600ms");
		RecurringScheduler scheduler = node.getBean(RecurringScheduler.class);
		await().atMost(WAIT).until(scheduler::isLeader);
		TaskEndpoints endpoints = node.getBean(TaskEndpoints.class);
		node.getBean(ClusterTasks.class).enqueue("block", null);
		await().atMost(WAIT).until(() -> endpoints.blocked.get() == 1);
		Logger tasksLogger = (Logger) LoggerFactory.getLogger("dev.cohort.tasks");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		tasksLogger.addAppender(appender);
		List<String> warnings;
		try {
			redis.pause();
			// An outage of 8 s: the scheduler ticks every 200 ms, and the worker renews
			// every 200 ms, each failing after 1 s.
			await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> true);
			warnings = appender.list.stream()
				.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}
		finally {
			redis.resume();
			tasksLogger.detachAppender(appender);
		}
		warnings.forEach((warning) -> System.out.println("Logged during the outage: " + warning));
		// At most one line of each kind in 10 s: the scheduler's, and the worker's for
		// renewing, taking jobs and opening its connection.
		assertThat(warnings).extracting((warning) -> warning.substring(0, Math.min(30, warning.length())))
			.doesNotHaveDuplicates();
		assertThat(warnings).hasSizeLessThanOrEqualTo(4);
		endpoints.release.countDown();
	}

	@Test
	void anEnqueueWhoseWakeUpFailsAfterTheJobWasStoredSucceedsAndAWorkerStillFindsTheJob() {
		// A user that may do everything but LTRIM, which only the wake-up script uses:
		// the
		// wake-up after the stored job fails for real, in Redis.
		String user = "no-wake-" + UUID.randomUUID();
		try (RedisConnection connection = this.nodes.start("cluster.role=server")
			.getBean(RedisConnectionFactory.class)
			.getConnection()) {
			connection.execute("ACL", bytes("SETUSER"), bytes(user), bytes("on"), bytes(">secret"), bytes("~*"),
					bytes("&*"), bytes("+@all"), bytes("-ltrim"));
		}
		this.nodes.common().put("spring.data.redis.username", user);
		this.nodes.common().put("spring.data.redis.password", "secret");
		ConfigurableApplicationContext worker = this.nodes.start("cluster.role=worker");
		ClusterTasks tasks = this.nodes.start("cluster.role=server").getBean(ClusterTasks.class);
		String id = tasks.enqueue("record", new Greeting("no wake-up", 1));
		assertThat(id).startsWith("default:");
		TaskEndpoints endpoints = worker.getBean(TaskEndpoints.class);
		await().atMost(WAIT).until(() -> endpoints.runs.size() == 1);
		assertThat(endpoints.runs.peek().jobId()).isEqualTo(id);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

}
