package dev.cohort.cluster.internal;

import java.time.Duration;
import java.util.List;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeLeftEvent.Reason;
import dev.cohort.cluster.NodeRole;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Membership of several nodes (application contexts, and a separate process for the
 * crash) on one real Redis.
 */
class ClusterMembershipTests {

	private TestNodes nodes;

	@BeforeEach
	void setUp() {
		this.nodes = TestNodes.redis(RedisServer.shared());
	}

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void threeNodesSeeThreeMembers() {
		List<ConfigurableApplicationContext> contexts = List.of(this.nodes.start(), this.nodes.start(),
				this.nodes.start());
		List<String> ids = contexts.stream().map((context) -> selfId(context)).toList();
		assertThat(ids).doesNotHaveDuplicates();
		for (ConfigurableApplicationContext context : contexts) {
			await()
				.untilAsserted(() -> assertThat(context.getBean(ClusterNodes.class).members()).extracting(NodeInfo::id)
					.containsExactlyInAnyOrderElementsOf(ids));
		}
		Recorder first = contexts.get(0).getBean(Recorder.class);
		await().untilAsserted(() -> assertThat(first.joined).extracting((event) -> event.node().id())
			.containsExactlyInAnyOrder(ids.get(1), ids.get(2)));
	}

	@Test
	void derivedNodeIdsAreReadableAndUnique() {
		ConfigurableApplicationContext worker = this.nodes.start("spring.application.name=shop", "cluster.role=worker");
		ConfigurableApplicationContext server = this.nodes.start("spring.application.name=shop", "cluster.role=server");
		assertThat(selfId(worker)).matches("shop-worker-\\d+");
		assertThat(selfId(server)).matches("shop-server-\\d+");
		assertThat(worker.getBean(ClusterNodes.class).self().role()).isEqualTo(NodeRole.WORKER);
	}

	@Test
	void nodeThatStopsCleanlyLeavesAtOnce() {
		ConfigurableApplicationContext a = this.nodes.start();
		ConfigurableApplicationContext b = this.nodes.start();
		ConfigurableApplicationContext c = this.nodes.start("cluster.node-timeout=1m");
		String cId = selfId(c);
		await().until(() -> a.getBean(ClusterNodes.class).members().size() == 3
				&& b.getBean(ClusterNodes.class).members().size() == 3);
		c.close();
		for (ConfigurableApplicationContext context : List.of(a, b)) {
			Recorder recorder = context.getBean(Recorder.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(recorder.left).singleElement()
					.satisfies((event) -> assertThat(event.node().id()).isEqualTo(cId))
					.satisfies((event) -> assertThat(event.reason()).isEqualTo(Reason.LEFT)));
			assertThat(context.getBean(ClusterNodes.class).isMember(cId)).isFalse();
		}
	}

	@Test
	void nodeWhoseProcessIsKilledIsDroppedAfterTheTimeout() throws Exception {
		ConfigurableApplicationContext a = this.nodes.start();
		try (ForkedNode crashing = ForkedNode.start(this.nodes.arguments("cluster.node-id=doomed-node"))) {
			crashing.awaitMemberOf(a, "doomed-node");
			crashing.kill();
			Recorder recorder = a.getBean(Recorder.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(recorder.left).singleElement()
					.satisfies((event) -> assertThat(event.node().id()).isEqualTo("doomed-node"))
					.satisfies((event) -> assertThat(event.reason()).isEqualTo(Reason.TIMED_OUT)));
			assertThat(a.getBean(ClusterNodes.class).isMember("doomed-node")).isFalse();
		}
	}

	@Test
	void listenerThatThrowsLosesNoEventsAndStopsNothing() {
		this.nodes.start();
		this.nodes.start();
		ConfigurableApplicationContext faulty = this.nodes.start(Recorder.THROW_ON_JOIN + "=true");
		Recorder recorder = faulty.getBean(Recorder.class);
		assertThat(recorder.joined).hasSize(2);
		this.nodes.start();
		await().until(() -> recorder.joined.size() == 3);
		assertThat(faulty.getBean(ClusterNodes.class).members()).hasSize(4);
	}

	@Test
	void secondLiveNodeWithTheSameIdFailsToStart() {
		this.nodes.start("cluster.node-id=twin");
		assertThatException().isThrownBy(() -> this.nodes.start("cluster.node-id=twin"))
			.withStackTraceContaining("Node id 'twin' is already used by another live node");
	}

	private static String selfId(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

}
