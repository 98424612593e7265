package dev.cohort.tasks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker nodes in processes of their own on one real Redis, killed for real: no job is
 * lost, and only the jobs a killed worker had in flight run again.
 */
class ClusterTasksFaultTests {

	private static final int JOBS = 10_000;

	private static final int MAX_PROCESSORS = 8;

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private final String logKey = "test-task-log:" + UUID.randomUUID();

	private final List<ForkedNode> forked = new ArrayList<>();

	private final Map<String, ForkedNode> byId = new LinkedHashMap<>();

	private ConfigurableApplicationContext observer;

	private StringRedisTemplate redis;

	@BeforeEach
	void startObserver() {
		this.nodes.common().put("cluster.tasks.lease", "2s");
		this.nodes.common().put("cluster.tasks.max-processors", MAX_PROCESSORS);
		this.nodes.common().put("test.tasks.log-key", this.logKey);
		this.observer = this.nodes.start("cluster.role=server");
		this.redis = new StringRedisTemplate(this.observer.getBean(RedisConnectionFactory.class));
	}

	@AfterEach
	void stopAll() throws IOException {
		for (ForkedNode node : this.forked) {
			node.close();
		}
		this.redis.delete(this.logKey);
		this.nodes.close();
	}

	@Test
	void jobsInFlightOnAKilledWorkerRunAgainWithAttemptTwoAndNoJobIsLost() throws Exception {
		ClusterTasks tasks = this.observer.getBean(ClusterTasks.class);
		for (int i = 0; i < JOBS; i++) {
			tasks.enqueue("logged", null);
		}
		startWorkers("worker-a", "worker-b", "worker-c");
		await().atMost(Duration.ofMinutes(2)).until(() -> logSize() >= JOBS / 4);
		this.byId.get("worker-a").kill();
		long runsAtKill = logSize();
		startWorkers("worker-d");
		awaitAllDone(tasks);

		Map<String, List<String[]>> runs = runsByJob();
		assertThat(runs).hasSize(JOBS);
		// A job the killed worker had taken runs again with attempt 2 on another worker;
		// if
		// the killed worker had already started it, it ran twice.
		int twice = 0;
		int again = 0;
		for (List<String[]> jobRuns : runs.values()) {
			String[] last = jobRuns.get(jobRuns.size() - 1);
			if (jobRuns.size() == 1 && last[2].equals("1")) {
				continue;
			}
			assertThat(last[1]).isNotEqualTo("worker-a");
			assertThat(last[2]).isEqualTo("2");
			if (jobRuns.size() == 2) {
				assertThat(jobRuns.get(0)[1]).isEqualTo("worker-a");
				assertThat(jobRuns.get(0)[2]).isEqualTo("1");
				twice++;
			}
			else {
				assertThat(jobRuns).hasSize(1);
				again++;
			}
		}
		assertThat(twice + again).isLessThanOrEqualTo(MAX_PROCESSORS);
		System.out.printf("Fault test (SIGKILL): %d jobs, %d runs logged when worker-a was killed; %d jobs it "
				+ "had in flight ran again with attempt 2 (%d of them had started on it, so ran twice); %d lost%n",
				JOBS, runsAtKill, twice + again, twice, JOBS - runs.size());
	}

	@Test
	void aWorkerStoppedWithSigtermHandsOverWithoutLosingOrRepeatingAJob() throws Exception {
		ClusterTasks tasks = this.observer.getBean(ClusterTasks.class);
		for (int i = 0; i < JOBS; i++) {
			tasks.enqueue("logged", null);
		}
		startWorkers("worker-a", "worker-b", "worker-c");
		await().atMost(Duration.ofMinutes(2)).until(() -> logSize() >= JOBS / 4);
		ForkedNode stopped = this.byId.get("worker-a");
		long before = System.nanoTime();
		int exit = stopped.terminate();
		System.out.printf("worker-a exited with %d after %d ms; its output ends:%n%s%n", exit,
				(System.nanoTime() - before) / 1_000_000, tail(stopped.output()));
		startWorkers("worker-d");
		awaitAllDone(tasks);

		Map<String, List<String[]>> runs = runsByJob();
		assertThat(runs).hasSize(JOBS);
		assertThat(runs.values()).allSatisfy((jobRuns) -> assertThat(jobRuns).hasSize(1));
		assertThat(stopped.output()).doesNotContain("Handing back");
		System.out.printf("Fault test (SIGTERM): %d jobs, none lost, none ran twice%n", JOBS);
	}

	@Test
	void aRecurringTaskRunsOncePerPeriodAcrossThreeSchedulersAndGoesOnWhenTheLeaderDies() throws Exception {
		this.nodes.common().put("test.tasks.recurring", "true");
		this.nodes.common().put("test.tasks.frequency", "500ms");
		this.nodes.common().put("cluster.tasks.scheduler-lease", "1500ms");
		startWorkers("scheduler-a", "scheduler-b", "scheduler-c");
		ClusterTasks tasks = this.observer.getBean(ClusterTasks.class);
		await().atMost(Duration.ofMinutes(1)).until(() -> logSize() >= 10);
		String leader = tasks.schedulerLeader().orElseThrow();
		this.byId.get(leader).kill();
		long runsAtKill = logSize();
		await().atMost(Duration.ofMinutes(1)).until(() -> logSize() >= runsAtKill + 10);
		assertThat(tasks.schedulerLeader()).hasValueSatisfying((next) -> assertThat(next).isNotEqualTo(leader));

		List<String[]> runs = log();
		List<Long> firstRuns = runs.stream()
			.filter((run) -> run[2].equals("1"))
			.map((run) -> Long.parseLong(run[0]))
			.sorted()
			.toList();
		assertThat(firstRuns).doesNotHaveDuplicates();
		for (int i = 1; i < firstRuns.size(); i++) {
			assertThat(firstRuns.get(i) - firstRuns.get(i - 1)).as("gap after period %d", firstRuns.get(i - 1))
				.isEqualTo(500);
		}
		System.out.printf("Recurring test: %d periods in a row, leader %s killed after %d runs, no gap or double%n",
				firstRuns.size(), leader, runsAtKill);
	}

	private static String tail(String output) {
		return output.substring(Math.max(0, output.length() - 3000));
	}

	private void startWorkers(String... ids) throws IOException {
		List<ForkedNode> started = new ArrayList<>();
		for (String id : ids) {
			ForkedNode node = ForkedNode.start(this.nodes.arguments("cluster.role=worker", "cluster.node-id=" + id));
			this.forked.add(node);
			this.byId.put(id, node);
			started.add(node);
		}
		for (int i = 0; i < ids.length; i++) {
			started.get(i).awaitMemberOf(this.observer, ids[i]);
		}
	}

	private void awaitAllDone(ClusterTasks tasks) {
		await().atMost(Duration.ofMinutes(3)).until(() -> {
			QueueStats stats = tasks.stats().get(0);
			return stats.processed() == JOBS && stats.waiting() == 0 && stats.running() == 0 && stats.delayed() == 0;
		});
	}

	private long logSize() {
		Long size = this.redis.opsForList().size(this.logKey);
		return (size != null) ? size : 0;
	}

	private List<String[]> log() {
		return this.redis.opsForList().range(this.logKey, 0, -1).stream().map((entry) -> entry.split("\\|")).toList();
	}

	private Map<String, List<String[]>> runsByJob() {
		Map<String, List<String[]>> runs = new LinkedHashMap<>();
		for (String[] run : log()) {
			runs.computeIfAbsent(run[0], (id) -> new ArrayList<>()).add(run);
		}
		return runs;
	}

}
