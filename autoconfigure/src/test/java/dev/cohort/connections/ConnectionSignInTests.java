package dev.cohort.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.cohort.chat.ChatRooms;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Signing a connection in with the secret of its {@code welcome}: only its own client
 * knows it, and the check and the set are one step, so that knowing a connection's id
 * (every member of its rooms does) is not enough to attach an identity to it.
 */
class ConnectionSignInTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	private TestClient victim;

	private TestClient other;

	@BeforeEach
	void startTwoNodes() throws Exception {
		// The other member learns the victim's id from its join frame.
		this.nodeA = this.nodes.startWeb("cluster.connections.show-connection-ids=true");
		this.nodeB = this.nodes.startWeb("cluster.connections.show-connection-ids=true");
		this.nodeA.getBean(ChatRooms.class).add("lobby");
		this.victim = TestClient.connect(this.nodeA);
		this.other = TestClient.connect(this.nodeB);
	}

	@AfterEach
	void stopAll() throws Exception {
		this.victim.close();
		this.other.close();
		this.nodes.close();
	}

	@Test
	void anotherMemberWhoKnowsTheIdButNotTheSecretCannotSignTheConnectionIn() throws Exception {
		join(this.other, "o");
		join(this.victim, "v");
		String victimId = this.other
			.await((frame) -> frame.path("event").stringValue("").equals("join")
					&& !frame.path("connectionId").stringValue("").equals(this.other.id()))
			.path("connectionId")
			.stringValue();
		assertThat(victimId).isEqualTo(this.victim.id());
		for (ConfigurableApplicationContext node : List.of(this.nodeA, this.nodeB)) {
			ClusterConnections connections = node.getBean(ClusterConnections.class);
			assertThatExceptionOfType(SignInRefusedException.class)
				.isThrownBy(() -> connections.apply(victimId, ConnectionOperation
					.signIn(this.other.events("welcome").get(0).path("secret").stringValue(), "auth", "mallory")));
			assertThatExceptionOfType(SignInRefusedException.class).isThrownBy(
					() -> connections.apply(victimId, ConnectionOperation.signIn("guessed", "auth", "mallory")));
		}
		assertThat(this.nodeB.getBean(ClusterConnections.class).apply(victimId).attributes()).doesNotContainKey("auth");
		ConnectionInfo signedIn = this.nodeB.getBean(ClusterConnections.class)
			.apply(victimId, ConnectionOperation.signIn(secret(this.victim), "auth", "ann"));
		assertThat(signedIn.attributes()).containsEntry("auth", "ann");
		assertThatExceptionOfType(SignInRefusedException.class)
			.isThrownBy(() -> this.nodeA.getBean(ClusterConnections.class)
				.apply(victimId, ConnectionOperation.signIn(secret(this.victim), "auth", "mallory")));
		assertThat(this.nodeA.getBean(ClusterConnections.class).apply(victimId).attributes()).containsEntry("auth",
				"ann");
	}

	@Test
	void ofTwoConcurrentSignInsExactlyOneWins() throws Exception {
		for (int round = 0; round < 10; round++) {
			try (TestClient client = TestClient.connect(this.nodeA)) {
				String secret = secret(client);
				CountDownLatch start = new CountDownLatch(1);
				ExecutorService callers = Executors.newFixedThreadPool(2);
				try {
					List<Future<String>> outcomes = new ArrayList<>();
					for (ConfigurableApplicationContext node : List.of(this.nodeA, this.nodeB)) {
						String name = (node == this.nodeA) ? "ann" : "bob";
						Callable<String> signIn = () -> {
							start.await();
							try {
								node.getBean(ClusterConnections.class)
									.apply(client.id(), ConnectionOperation.signIn(secret, "auth", name));
								return name;
							}
							catch (SignInRefusedException ex) {
								return "refused";
							}
						};
						outcomes.add(callers.submit(signIn));
					}
					start.countDown();
					List<String> results = new ArrayList<>();
					for (Future<String> outcome : outcomes) {
						results.add(outcome.get(30, TimeUnit.SECONDS));
					}
					assertThat(results).containsOnlyOnce("refused");
					String winner = results.stream().filter((result) -> !result.equals("refused")).findFirst().get();
					assertThat(this.nodeB.getBean(ClusterConnections.class).apply(client.id()).attributes())
						.containsEntry("auth", winner);
				}
				finally {
					callers.shutdownNow();
				}
			}
		}
	}

	@Test
	void theSecretReachesNoOneButItsOwnClient() throws Exception {
		String secret = secret(this.victim);
		assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
		join(this.other, "o");
		join(this.victim, "v");
		this.victim.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hi\",\"requestId\":\"s\"}", "s");
		this.victim.request("{\"event\":\"detailsView\",\"requestId\":\"d\"}", "d");
		this.other.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"r\"}", "r");
		this.victim.request("{\"event\":\"roomLeave\",\"room\":\"lobby\",\"requestId\":\"l\"}", "l");
		this.other.await((frame) -> frame.path("event").stringValue("").equals("leave"));
		assertThat(this.other.frames).hasSizeGreaterThanOrEqualTo(5)
			.allSatisfy((frame) -> assertThat(frame.toString()).doesNotContain(secret));
		assertThat(this.victim.frames).filteredOn((frame) -> frame.toString().contains(secret))
			.extracting((frame) -> frame.path("event").stringValue())
			.containsExactly("welcome");
		JsonMapper json = this.nodeB.getBean(JsonMapper.class);
		for (ConfigurableApplicationContext node : List.of(this.nodeA, this.nodeB)) {
			ClusterConnections connections = node.getBean(ClusterConnections.class);
			assertThat(json.writeValueAsString(connections.list())).doesNotContain(secret);
			assertThat(json.writeValueAsString(connections.apply(this.victim.id()))).doesNotContain(secret);
		}
	}

	private static String secret(TestClient client) {
		return client.events("welcome").get(0).path("secret").stringValue();
	}

	private static void join(TestClient client, String requestId) throws Exception {
		client.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"" + requestId + "\"}", requestId);
		await().atMost(Duration.ofSeconds(10)).until(() -> client.events("join").size() >= 1);
	}

}
