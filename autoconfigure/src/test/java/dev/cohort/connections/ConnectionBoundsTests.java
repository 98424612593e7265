package dev.cohort.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.connections.internal.ClusterWebSocketHandler;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The bounds of {@code cluster.connections.*} on two nodes of one Redis: a client that
 * floods, one that opens too many connections and one that joins too many rooms are each
 * refused at the limit, counted, while the other clients of the node go on chatting.
 */
class ConnectionBoundsTests {

	private static final int RATE = 20;

	private static final int MAX_CONNECTIONS = 4;

	private static final int MAX_ROOMS = 3;

	private static TestNodes nodes;

	/** The node with small bounds. */
	private static ConfigurableApplicationContext bounded;

	/** A node of the same cluster with the default bounds. */
	private static ConfigurableApplicationContext other;

	@BeforeAll
	static void startNodes() {
		nodes = TestNodes.redis(RedisServer.shared());
		bounded = nodes.startWeb("cluster.connections.messages-per-second=" + RATE,
				"cluster.connections.message-burst=" + RATE, "cluster.connections.max-connections=" + MAX_CONNECTIONS,
				"cluster.connections.max-rooms-per-connection=" + MAX_ROOMS);
		other = nodes.startWeb();
		ChatRooms rooms = bounded.getBean(ChatRooms.class);
		for (String room : List.of("lobby", "r1", "r2", "r3", "r4")) {
			rooms.add(room);
		}
	}

	@AfterAll
	static void stopNodes() {
		nodes.close();
	}

	@BeforeEach
	void noConnectionsLeft() {
		// The clients of the test before are closed, the node may not have heard yet.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> bounded.getBean(ClusterWebSocketHandler.class).connections(), (open) -> open == 0);
	}

	@Test
	void aClientThatFloodsIsRefusedThenClosedWhileAnotherKeepsChatting() throws Exception {
		try (TestClient flooder = TestClient.connect(bounded);
				TestClient calm = TestClient.connect(bounded);
				TestClient listener = TestClient.connect(other)) {
			flooder.join("lobby");
			calm.join("lobby");
			listener.join("lobby");
			// A few frames over the burst are refused, each answered; the connection
			// stays.
			long start = System.nanoTime();
			int sent = 0;
			for (; sent < RATE + 5; sent++) {
				flooder.send(say(sent));
			}
			JsonNode limited = flooder.await((frame) -> "rate-limited".equals(frame.path("error").stringValue(null)));
			assertThat(limited.path("request").stringValue()).isEqualTo("say");
			assertThat(limited.path("requestId").stringValue()).startsWith("f");
			// A client that goes on flooding is closed; what waits for it is dropped.
			while (flooder.closeStatus() == null && sent < 5_000) {
				try {
					flooder.send(say(sent));
				}
				catch (Exception ex) {
					break; // closed by the node while sending
				}
				sent++;
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> flooder.closeStatus() != null);
			assertThat(flooder.closeStatus().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
			// Refused before the node does any work for them: only the burst, and what
			// the
			// rate let through since, was said.
			long refilled = (System.nanoTime() - start) * RATE / 1_000_000_000L;
			assertThat(listener.events("say")).hasSizeLessThanOrEqualTo((int) (RATE + refilled + 2));

			for (int i = 0; i < 5; i++) {
				JsonNode said = calm.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"calm " + i
						+ "\",\"requestId\":\"c" + i + "\"}", "c" + i);
				assertThat(said.path("event").stringValue()).isEqualTo("response");
				String text = "calm " + i;
				listener.await((frame) -> text.equals(frame.path("message").stringValue(null)));
			}
			assertThat(calm.isOpen()).isTrue();
			assertThat(count("cohort.connections.refused", "rate-limited")).isPositive();
			assertThat(count("cohort.connections.closed", "flooding")).isEqualTo(1);
		}
	}

	private static String say(int sent) {
		return "{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"flood\",\"requestId\":\"f" + sent + "\"}";
	}

	@Test
	void aHandshakeOverTheLimitIsRefusedWhileTheOpenConnectionsWork() throws Exception {
		int port = ((WebServerApplicationContext) bounded).getWebServer().getPort();
		List<TestClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < MAX_CONNECTIONS; i++) {
				clients.add(TestClient.connect(bounded));
			}
			double refusedBefore = count("cohort.connections.rejected", "too-many-connections");
			assertThatException().isThrownBy(() -> TestClient.open(port)).withStackTraceContaining("503");
			assertThat(count("cohort.connections.rejected", "too-many-connections")).isEqualTo(refusedBefore + 1);
			for (TestClient client : clients) {
				client.join("lobby");
				assertThat(client.isOpen()).isTrue();
			}
			// A connection closed makes room for another.
			clients.remove(0).close();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> bounded.getBean(ClusterWebSocketHandler.class).connections(),
						(open) -> open == MAX_CONNECTIONS - 1);
			clients.add(TestClient.connect(bounded));
			clients.get(clients.size() - 1).join("lobby");
		}
		finally {
			for (TestClient client : clients) {
				client.close();
			}
		}
	}

	@Test
	void aJoinOverTheLimitIsRefused() throws Exception {
		try (TestClient joiner = TestClient.connect(bounded); TestClient elsewhere = TestClient.connect(other)) {
			double refusedBefore = count("cohort.connections.refused", "too-many-rooms");
			for (int i = 1; i <= MAX_ROOMS; i++) {
				joiner.join("r" + i);
			}
			JsonNode refused = joiner.joinRoom("r4");
			assertThat(refused.path("event").stringValue()).isEqualTo("error");
			assertThat(refused.path("error").stringValue()).isEqualTo("too-many-rooms");
			assertThat(count("cohort.connections.refused", "too-many-rooms")).isEqualTo(refusedBefore + 1);
			// A room it is in is still joined, and leaving one makes room.
			joiner.join("r1");
			joiner.request("{\"event\":\"roomLeave\",\"room\":\"r1\",\"requestId\":\"leave\"}", "leave");
			joiner.join("r4");
			// The bound is the node's: the other node's default lets a client join more.
			for (int i = 1; i <= MAX_ROOMS + 1; i++) {
				elsewhere.join("r" + i);
			}
		}
	}

	private static double count(String name, String reason) {
		Counter counter = bounded.getBean(MeterRegistry.class).find(name).tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
