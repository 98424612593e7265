package dev.cohort.cluster.health;

import java.time.Duration;
import java.util.Map;

import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code cluster} health of a node on a Redis of its own that the test pauses
 * (SIGSTOP): the node goes DOWN, and so does its readiness but not its liveness, within
 * the node timeout, without a health request ever waiting longer than its timeout; it is
 * UP again once Redis resumes.
 */
class ClusterHealthOutageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** The node timeout TestNodes sets. */
	private static final Duration NODE_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(300);

	private static RedisServer redis;

	private TestNodes nodes;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(redis);
	}

	@AfterEach
	void tearDown() {
		redis.resume();
		this.nodes.close();
	}

	@Test
	void aNodeIsDownWhileRedisIsPausedAndUpAgainOnceItResumes() {
		ConfigurableApplicationContext node = this.nodes
			.start("cluster.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms");
		HealthIndicator cluster = node.getBean("clusterHealthIndicator", HealthIndicator.class);
		HealthEndpoint endpoint = node.getBean(HealthEndpoint.class);
		ClusterMembership membership = node.getBean(ClusterMembership.class);
		await().atMost(TIMEOUT).until(() -> cluster.health().getStatus().equals(Status.UP));
		assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
		assertThat(membership.isLiveMember()).isTrue();

		redis.pause();
		await().atMost(NODE_TIMEOUT).until(() -> cluster.health().getStatus().equals(Status.DOWN));
		for (int i = 0; i < 3; i++) {
			long started = System.nanoTime();
			Health health = cluster.health();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEALTH_TIMEOUT.multipliedBy(3));
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("did not answer within");
			assertThat(health.getDetails()).containsKeys("nodeId", "members", "lastHeartbeatAgeMillis");
		}
		assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
		assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
		// Past the node timeout without a heartbeat, the node is no longer a live member.
		await().atMost(NODE_TIMEOUT.multipliedBy(2)).until(() -> !membership.isLiveMember());

		redis.resume();
		await().atMost(TIMEOUT).until(() -> cluster.health().getStatus().equals(Status.UP));
		assertThat(membership.isLiveMember()).isTrue();
		assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aWorkersLeaseRenewalsAndTheirFailuresShowInTheDetails() {
		ConfigurableApplicationContext node = this.nodes.start("cluster.tasks.lease=300ms",
				"cluster.tasks.shutdown-timeout=100ms", "cluster.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms",
				"spring.data.redis.timeout=500ms");
		HealthIndicator cluster = node.getBean("clusterHealthIndicator", HealthIndicator.class);
		node.getBean(ClusterTasks.class).enqueue("block", null);
		await().atMost(TIMEOUT).untilAsserted(() -> {
			Map<String, Object> worker = worker(cluster.health());
			assertThat(worker).containsEntry("running", true)
				.containsEntry("runningJobs", 1)
				.containsEntry("consecutiveRenewalFailures", 0)
				.containsKey("lastRenewalAgeMillis");
		});
		// Connections refused: the renewals fail once their command times out.
		redis.stop();
		try {
			await().atMost(TIMEOUT).untilAsserted(() -> {
				Health health = cluster.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((int) worker(health).get("consecutiveRenewalFailures")).isPositive();
			});
		}
		finally {
			node.getBean(TaskEndpoints.class).release.countDown();
			redis.restart();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> worker(Health health) {
		return (Map<String, Object>) health.getDetails().get("worker");
	}

	@Test
	void aNodeThatIsNoLongerAMemberIsDownThoughRedisAnswers() {
		ConfigurableApplicationContext node = this.nodes.start();
		ClusterMembership membership = node.getBean(ClusterMembership.class);
		HealthIndicator cluster = node.getBean("clusterHealthIndicator", HealthIndicator.class);
		await().atMost(TIMEOUT).until(() -> cluster.health().getStatus().equals(Status.UP));
		membership.stop();
		Health health = cluster.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat((String) health.getDetails().get("reason")).contains("not a live member");
	}

}
