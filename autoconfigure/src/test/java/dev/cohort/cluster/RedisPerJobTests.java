package dev.cohort.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cohort.cache.ClusterCache;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ChannelTap;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import dev.cohort.testapp.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis per job, on two real {@code redis-server} processes: the application's Redis
 * ({@code spring.data.redis.*}) keeps the cache, whose group is not set, and a second one
 * holds the queues ({@code cluster.tasks.redis.*}) and carries the messages
 * ({@code cluster.messages.redis.*}): membership, RPC, pub/sub. Two nodes, a server and a
 * worker, work across both.
 */
class RedisPerJobTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RedisServer application;

	private RedisServer jobs;

	private TestNodes nodes;

	@BeforeEach
	void start() {
		this.application = RedisServer.start();
		this.jobs = RedisServer.start();
		this.nodes = TestNodes.redis(this.application);
		for (String group : new String[] { "tasks", "messages" }) {
			this.nodes.common().put("cluster." + group + ".redis.host", this.jobs.host());
			this.nodes.common().put("cluster." + group + ".redis.port", this.jobs.port());
		}
	}

	@AfterEach
	void stop() {
		try {
			this.nodes.close();
		}
		finally {
			this.application.close();
			this.jobs.close();
		}
	}

	@Test
	void theCacheTheQueuesAndTheMessagesEachUseTheirRedis() throws Exception {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server");
		ConfigurableApplicationContext worker = this.nodes.start("cluster.role=worker", "test.tasks.recurring=true");
		String namespace = server.getBean(ClusterKeys.class).namespace();
		String workerId = worker.getBean(ClusterNodes.class).self().id();
		await().atMost(WAIT).until(() -> server.getBean(ClusterNodes.class).members().size() == 2);
		String channel = server.getBean(ClusterKeys.class).channel();
		String toWorker = server.getBean(ClusterKeys.class).nodeChannel(workerId);
		try (ChannelTap broadcastsOnJobs = ChannelTap.on(this.jobs, channel);
				ChannelTap callsOnJobs = ChannelTap.on(this.jobs, toWorker);
				ChannelTap broadcastsOnApplication = ChannelTap.on(this.application, channel);
				ChannelTap callsOnApplication = ChannelTap.on(this.application, toWorker)) {
			// A job enqueued on the server runs on the worker.
			String id = server.getBean(ClusterTasks.class).enqueue("record", new Greeting("job", 1));
			TaskEndpoints endpoints = worker.getBean(TaskEndpoints.class);
			await().atMost(WAIT).until(() -> endpoints.runs.stream().anyMatch((run) -> run.jobId().equals(id)));
			// The cache, shared by both nodes.
			server.getBean(ClusterCache.class).save("greeting", new Greeting("cached", 2), Duration.ofMinutes(1));
			assertThat(worker.getBean(ClusterCache.class).load("greeting", Greeting.class))
				.contains(new Greeting("cached", 2));
			// An RPC call and a pub/sub message, from the server to the worker.
			assertThat(server.getBean(ClusterRpc.class)
				.call(workerId, "add", Integer.class, 2, 3)
				.get(10, TimeUnit.SECONDS)).isEqualTo(5);
			server.getBean(ClusterPubSub.class).publish("greeting", new Greeting("published", 3));
			Recorder recorder = worker.getBean(Recorder.class);
			await().atMost(WAIT).until(() -> recorder.greetings.contains(new Greeting("published", 3)));
			// The messages went through the second Redis only.
			assertThat(callsOnJobs.frames("cohort.rpc.request")).isNotEmpty();
			assertThat(broadcastsOnJobs.frames("greeting")).isNotEmpty();
			assertThat(callsOnApplication.frames("cohort.rpc.request")).isEmpty();
			assertThat(broadcastsOnApplication.frames("greeting")).isEmpty();
		}
		// The recurring scheduler leads through the tasks' Redis, not the cache's.
		await().atMost(WAIT)
			.until(() -> server.getBean(ClusterTasks.class).schedulerLeader(), (leader) -> leader.isPresent());
		assertThat(TestRedis.keys(this.jobs, 0, namespace)).contains("{" + namespace + ":tasks}:scheduler");
		// The cache's keys on the application's Redis, the queues' and the nodes' on the
		// second.
		assertThat(TestRedis.keys(this.application, 0, namespace)).isNotEmpty()
			.allMatch((key) -> key.startsWith(namespace + ":cache:"));
		assertThat(TestRedis.keys(this.jobs, 0, namespace))
			.anyMatch((key) -> key.startsWith("{" + namespace + ":tasks"))
			.anyMatch((key) -> key.startsWith("{" + namespace + ":nodes}"))
			.noneMatch((key) -> key.contains(":cache:"));
	}

}
