package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.ForwardingTaskStore;
import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose lease renewal reaches Redis late, on a real Redis: the renewal's answer
 * is about the run it renewed, not about a newer run of the same job.
 */
class TaskWorkerRenewalRaceTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private TaskWorker worker;

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
		this.nodes.close();
	}

	@Test
	void aRenewalThatFindsAnOlderRunLostLeavesTheNewerRunOfTheSameJobRunning() throws Exception {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server");
		Queue<JobContext> runs = new ConcurrentLinkedQueue<>();
		CountDownLatch secondRunStarted = new CountDownLatch(1);
		CountDownLatch renewedAfterTheRace = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		TaskRegistry registry = new TaskRegistry();
		registry.register(TaskDefinition.builder("hold", (arguments, job) -> {
			runs.add(job);
			if (runs.size() == 2) {
				secondRunStarted.countDown();
			}
			release.await(60, TimeUnit.SECONDS);
		}).build());
		// The first run's renewal waits, as if Redis answered it late, until its lease
		// has
		// lapsed and this worker has taken the job back and started it again.
		TaskStore store = new ForwardingTaskStore(server.getBean(TaskStore.class)) {

			@Override
			public List<String> renew(String queue, Duration lease, Map<String, Lease> leases) {
				JobContext first = runs.peek();
				Lease renewed = (first != null) ? leases.get(first.jobId()) : null;
				if (renewed != null && renewed.fencingToken() == first.fencingToken()) {
					awaitLatch(secondRunStarted);
				}
				else if (secondRunStarted.getCount() == 0) {
					renewedAfterTheRace.countDown();
				}
				return super.renew(queue, lease, leases);
			}

		};
		WorkerSettings settings = new WorkerSettings("race-worker", List.of("*"), 1, 2, Duration.ofMillis(600), 2,
				Duration.ofSeconds(1), Duration.ofSeconds(5));
		this.worker = new TaskWorker(store, registry, JsonMapper.builder().build(), server.getBean(ClusterBus.class),
				server.getBean(ClusterMetrics.class), settings, System::currentTimeMillis);
		this.worker.start();
		ClusterTasks tasks = server.getBean(ClusterTasks.class);
		String id = tasks.enqueue("hold", null);
		awaitLatch(secondRunStarted);
		// The next renewal comes once the worker has dealt with the late one's answer,
		// unless that answer stopped the newer run too.
		await().atMost(WAIT).until(() -> renewedAfterTheRace.getCount() == 0 || List.copyOf(runs).get(1).isCancelled());
		List<JobContext> both = List.copyOf(runs);
		assertThat(both).extracting(JobContext::jobId).containsExactly(id, id);
		assertThat(both.get(0).isCancelled()).as("the older run's lease is gone").isTrue();
		assertThat(both.get(1).isCancelled()).as("the newer run holds the lease").isFalse();
		release.countDown();
		await().atMost(WAIT).until(() -> tasks.stats().get(0).processed() == 1);
		assertThat(tasks.failed(TaskDefinition.DEFAULT_QUEUE)).isEmpty();
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
