package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.micrometer.MicrometerClusterMetrics;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.ForwardingTaskStore;
import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.JobStalledEvent;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers on a real Redis, the first one's lease renewals stuck (as its renewer
 * thread would be in a pause): once the second worker took the job back, the first run's
 * guarded side effect is skipped, since {@link JobContext#isCancelled()} follows the
 * lease by the first worker's own clock, though no renewal ever told it. The takeover is
 * a stall: the second worker logs it once and counts it.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskWorkerLeaseLapseTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Queue<Object> events = new ConcurrentLinkedQueue<>();

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private final CountDownLatch renewalsStuck = new CountDownLatch(1);

	private TaskWorker first;

	private TaskWorker second;

	@AfterEach
	void stop() {
		this.renewalsStuck.countDown();
		if (this.first != null) {
			this.first.stop();
		}
		if (this.second != null) {
			this.second.stop();
		}
		this.nodes.close();
	}

	@Test
	void aRunWhoseLeaseLapsedByItsWorkersClockSkipsItsGuardedSideEffectAfterATakeover(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server");
		Queue<JobContext> started = new ConcurrentLinkedQueue<>();
		Queue<Integer> effects = new ConcurrentLinkedQueue<>();
		CountDownLatch release = new CountDownLatch(1);
		TaskRegistry registry = new TaskRegistry();
		registry.register(TaskDefinition.builder("guarded", (arguments, job) -> {
			started.add(job);
			if (job.attempt() == 1) {
				release.await(60, TimeUnit.SECONDS);
			}
			// The side effect that must not happen twice, guarded as tasks.md advises.
			if (!job.isCancelled()) {
				effects.add(job.attempt());
			}
		}).build());
		TaskStore shared = server.getBean(TaskStore.class);
		// The first worker's renewals never reach Redis: they wait until the test ends.
		TaskStore stuckRenewals = new ForwardingTaskStore(shared) {

			@Override
			public List<String> renew(String queue, Duration lease, Map<String, Lease> leases) {
				try {
					TaskWorkerLeaseLapseTests.this.renewalsStuck.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				throw new IllegalStateException("renewal stuck");
			}

		};
		this.first = worker("first-worker", stuckRenewals, registry, server);
		this.first.start();
		ClusterTasks tasks = server.getBean(ClusterTasks.class);
		String id = tasks.enqueue("guarded", null);
		await().atMost(WAIT).until(() -> started.size() == 1);
		// The second worker takes the job back once its lease lapsed in Redis, and runs
		// it to the end.
		this.second = worker("second-worker", shared, registry, server);
		this.second.start();
		await().atMost(WAIT).until(() -> effects.contains(2));
		assertThat(List.copyOf(started)).extracting(JobContext::jobId).containsExactly(id, id);
		// The first run goes on, as after a pause; no renewal answered it.
		release.countDown();
		await().atMost(WAIT).until(() -> this.first.runningJobCount() == 0);
		assertThat(effects).containsExactly(2);
		assertThat(List.copyOf(started).get(0).isCancelled()).isTrue();
		assertThat(this.meters.counter("cohort.tasks.stalled", "queue", "default").count()).isEqualTo(1);
		assertThat(this.events)
			.containsOnlyOnce(new JobStalledEvent(id, "guarded", "default", "first-worker", 1, false));
		assertThat(output.getAll())
			.containsOnlyOnce("Job " + id + " of task 'guarded' in queue 'default' stalled: "
					+ "the lease of node 'first-worker' lapsed")
			.contains("stall 1: it goes back to the front of its queue");
	}

	private TaskWorker worker(String nodeId, TaskStore store, TaskRegistry registry,
			ConfigurableApplicationContext server) {
		// One processor: the first worker, busy, does not take its own job back.
		WorkerSettings settings = new WorkerSettings(nodeId, List.of("*"), 1, 1, Duration.ofMillis(600), 2,
				Duration.ofSeconds(1), Duration.ofSeconds(5));
		return new TaskWorker(store, registry, JsonMapper.builder().build(), server.getBean(ClusterBus.class),
				new MicrometerClusterMetrics(this.meters), settings, System::currentTimeMillis, this.events::add);
	}

}
