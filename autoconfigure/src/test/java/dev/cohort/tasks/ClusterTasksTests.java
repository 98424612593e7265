package dev.cohort.tasks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints.Run;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task queue shared by several nodes (application contexts) on one real Redis.
 */
class ClusterTasksTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	@AfterEach
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void jobsEnqueuedOnAServerRunOnceEachOnTheWorkers() {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server");
		ConfigurableApplicationContext workerA = this.nodes.start("cluster.role=worker");
		ConfigurableApplicationContext workerB = this.nodes.start("cluster.role=worker");
		ClusterTasks tasks = server.getBean(ClusterTasks.class);
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 300; i++) {
			ids.add(tasks.enqueue("record", new Greeting("job", i)));
		}
		List<Run> runs = new ArrayList<>();
		await().atMost(WAIT).untilAsserted(() -> {
			runs.clear();
			runs.addAll(endpoints(workerA).runs);
			runs.addAll(endpoints(workerB).runs);
			assertThat(runs).hasSize(300);
		});
		assertThat(runs).extracting(Run::jobId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
		assertThat(runs).extracting(Run::fencingToken).doesNotHaveDuplicates();
		assertThat(endpoints(server).runs).isEmpty();
		assertThat(tasks.workingOn()).containsOnlyKeys(id(workerA), id(workerB));
		assertThat(tasks.stats()).singleElement().satisfies((stats) -> {
			assertThat(stats.processed()).isEqualTo(300);
			assertThat(stats.waiting()).isZero();
		});
	}

	@Test
	void idleWorkersWakeOnlyForTheirOwnQueues() {
		ConfigurableApplicationContext highOnly = this.nodes.start("cluster.role=worker", "cluster.tasks.queues=high");
		ConfigurableApplicationContext defaultOnly = this.nodes.start("cluster.role=worker",
				"cluster.tasks.queues=default");
		ClusterTasks tasks = highOnly.getBean(ClusterTasks.class);
		for (int i = 0; i < 20; i++) {
			tasks.enqueue("record", new Greeting("default", i));
			tasks.enqueue("record-high", new Greeting("high", i));
			// Well under the 5 s a worker waits when no wake-up reaches it.
			int expected = i + 1;
			await().atMost(Duration.ofSeconds(3)).until(() -> endpoints(defaultOnly).runs.size() == expected);
			await().atMost(Duration.ofSeconds(3)).until(() -> endpoints(highOnly).runs.size() == expected);
		}
		assertThat(endpoints(defaultOnly).runs).extracting(Run::greeting)
			.allSatisfy((greeting) -> assertThat(greeting.text()).isEqualTo("default"));
		assertThat(endpoints(highOnly).runs).extracting(Run::greeting)
			.allSatisfy((greeting) -> assertThat(greeting.text()).isEqualTo("high"));
	}

	@Test
	void aWorkerOfEveryQueueWakesForTheFirstJobOfANewQueue() {
		ConfigurableApplicationContext worker = this.nodes.start("cluster.role=worker");
		ClusterTasks tasks = this.nodes.start("cluster.role=server").getBean(ClusterTasks.class);
		assertThat(tasks.stats()).isEmpty();
		// Well under the 5 s a worker waits when no wake-up reaches it.
		tasks.enqueue("record", new Greeting("first", 1));
		await().atMost(Duration.ofSeconds(3)).until(() -> endpoints(worker).runs.size() == 1);
		tasks.enqueue("record-high", new Greeting("first high", 1));
		await().atMost(Duration.ofSeconds(3)).until(() -> endpoints(worker).runs.size() == 2);
	}

	@Test
	void aStoppingWorkerHandsBackTheJobItCannotFinishAndAnotherRunsIt() {
		ConfigurableApplicationContext stopping = this.nodes.start("cluster.role=worker",
				"cluster.tasks.shutdown-timeout=200ms");
		ClusterTasks tasks = stopping.getBean(ClusterTasks.class);
		String id = tasks.enqueue("block", null);
		await().atMost(WAIT).until(() -> endpoints(stopping).blocked.get() == 1);
		ConfigurableApplicationContext next = this.nodes.start("cluster.role=worker");
		String nextId = next.getBean(ClusterNodes.class).self().id();
		stopping.close();
		ClusterTasks nextTasks = next.getBean(ClusterTasks.class);
		await().atMost(WAIT).until(() -> endpoints(next).blocked.get() == 1);
		assertThat(nextTasks.workingOn()).containsKey(nextId);
		assertThat(nextTasks.workingOn().get(nextId)).extracting(JobInfo::id).containsExactly(id);
		endpoints(next).release.countDown();
		await().atMost(WAIT).until(() -> nextTasks.stats().get(0).processed() == 1);
		assertThat(nextTasks.failed("default")).isEmpty();
	}

	@Test
	void jobsAndFailuresCorruptedInRedisFailAloneAndStayListedWhileTheOtherJobsRun() {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server");
		ClusterTasks tasks = server.getBean(ClusterTasks.class);
		String before = tasks.enqueue("record", new Greeting("before", 1));
		// Planted by someone who can write to Redis: a job that does not parse, and a
		// failed job whose failure does not parse.
		StringRedisTemplate redis = new StringRedisTemplate(server.getBean(RedisConnectionFactory.class));
		String queue = server.getBean(ClusterKeys.class).taskQueue("default");
		String corrupt = "default:" + UUID.randomUUID();
		redis.opsForHash().put(queue + ":jobs", corrupt, "{\"id\":");
		redis.opsForList().rightPush(queue + ":pending", corrupt);
		String badFailure = "default:" + UUID.randomUUID();
		redis.opsForHash().put(queue + ":jobs", badFailure, "{}");
		redis.opsForZSet().add(queue + ":failed", badFailure, 1);
		redis.opsForHash().put(queue + ":failures", badFailure, "not json");
		String after = tasks.enqueue("record", new Greeting("after", 2));
		ConfigurableApplicationContext worker = this.nodes.start("cluster.role=worker");
		await().atMost(WAIT).until(() -> endpoints(worker).runs.size() == 2);
		assertThat(endpoints(worker).runs).extracting(Run::jobId).containsExactlyInAnyOrder(before, after);
		await().atMost(WAIT).until(() -> tasks.failed("default").size() == 2);
		assertThat(tasks.failed("default")).extracting(FailedJob::id, FailedJob::reason)
			.containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple(corrupt, "corrupt"),
					org.assertj.core.api.Assertions.tuple(badFailure, ""));
		assertThat(tasks.delete(corrupt)).isTrue();
		assertThat(tasks.delete(badFailure)).isTrue();
		assertThat(tasks.failed("default")).isEmpty();
	}

	private static String id(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

	private static TaskEndpoints endpoints(ConfigurableApplicationContext context) {
		return context.getBean(TaskEndpoints.class);
	}

}
