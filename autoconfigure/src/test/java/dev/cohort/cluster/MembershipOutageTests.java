package dev.cohort.cluster;

import java.time.Duration;
import java.util.List;

import dev.cohort.cluster.NodeLeftEvent.Reason;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Membership across a Redis outage longer than the node timeout, on a Redis of its own
 * that the tests pause: a node tells "the others died" from "I could not see anyone".
 */
class MembershipOutageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Well over the node timeout TestNodes sets (1.5 s). */
	private static final Duration OUTAGE = Duration.ofSeconds(4);

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
	void nodesThatHeartbeatAgainAfterAnOutageNeitherLeaveNorJoin() {
		List<ConfigurableApplicationContext> contexts = List.of(this.nodes.start(), this.nodes.start(),
				this.nodes.start());
		awaitMembers(contexts, 3);
		List<Integer> joinedBefore = contexts.stream().map((context) -> recorder(context).joined.size()).toList();
		outage();
		// Long enough after the outage for every node's grace to have ended.
		waitOut(Duration.ofSeconds(3));
		awaitMembers(contexts, 3);
		for (int i = 0; i < contexts.size(); i++) {
			assertThat(recorder(contexts.get(i)).left).isEmpty();
			assertThat(recorder(contexts.get(i)).joined).hasSize(joinedBefore.get(i));
		}
	}

	@Test
	void aNodeThatDiedDuringAnOutageLeavesOnceTheOthersGraceHasEnded() throws Exception {
		List<ConfigurableApplicationContext> survivors = List.of(this.nodes.start(), this.nodes.start());
		try (ForkedNode doomed = ForkedNode.start(this.nodes.arguments("cluster.node-id=doomed-in-outage"))) {
			doomed.awaitMemberOf(survivors.get(0), "doomed-in-outage");
			doomed.awaitMemberOf(survivors.get(1), "doomed-in-outage");
			redis.pause();
			try {
				doomed.kill();
				waitOut(OUTAGE);
			}
			finally {
				redis.resume();
			}
			for (ConfigurableApplicationContext survivor : survivors) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(recorder(survivor).left).singleElement()
						.satisfies((event) -> assertThat(event.node().id()).isEqualTo("doomed-in-outage"))
						.satisfies((event) -> assertThat(event.reason()).isEqualTo(Reason.TIMED_OUT)));
				assertThat(survivor.getBean(ClusterNodes.class).isMember("doomed-in-outage")).isFalse();
			}
			awaitMembers(survivors, 2);
		}
	}

	private static void outage() {
		redis.pause();
		try {
			waitOut(OUTAGE);
		}
		finally {
			redis.resume();
		}
	}

	private static void awaitMembers(List<ConfigurableApplicationContext> contexts, int count) {
		for (ConfigurableApplicationContext context : contexts) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == count);
		}
	}

	private static Recorder recorder(ConfigurableApplicationContext context) {
		return context.getBean(Recorder.class);
	}

	/**
	 * Lets time pass: the outage itself, or time for the nodes to act on it. Nothing to
	 * wait for can be observed from outside.
	 */
	private static void waitOut(Duration duration) {
		await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
	}

}
