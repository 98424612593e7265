package dev.cohort.connections;

import java.time.Duration;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.internal.ConnectionHub;
import dev.cohort.rpc.UnknownConnectionException;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two server nodes with web servers on one real Redis, and real WebSocket clients.
 */
class ClusterConnectionsTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	private TestClient clientA;

	private TestClient clientB;

	@BeforeEach
	void startTwoNodesWithAClientEach() throws Exception {
		this.nodeA = this.nodes.startWeb();
		this.nodeB = this.nodes.startWeb();
		this.nodeA.getBean(ChatRooms.class).add("lobby");
		this.clientA = TestClient.connect(this.nodeA);
		this.clientB = TestClient.connect(this.nodeB);
	}

	@AfterEach
	void closeAll() throws Exception {
		this.clientA.close();
		this.clientB.close();
		this.nodes.close();
	}

	@Test
	void aSayOnOneNodeReachesAMemberOnTheOtherExactlyOnce() throws Exception {
		join(this.clientA, "lobby");
		join(this.clientB, "lobby");
		JsonNode said = this.clientA
			.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":{\"text\":\"hi\"},\"requestId\":\"s1\"}", "s1");
		assertThat(said.path("event").stringValue()).isEqualTo("response");
		JsonNode heard = this.clientB.await((frame) -> frame.path("event").stringValue("").equals("say"));
		// An anonymous sender: no user, and no connection id but the client's own.
		assertThat(heard.has("from")).isFalse();
		assertThat(heard.path("user").isNull()).isTrue();
		assertThat(heard.toString()).doesNotContain(this.clientA.id());
		assertThat(heard.path("message").path("text").stringValue()).isEqualTo("hi");
		this.clientA.await((frame) -> frame.path("event").stringValue("").equals("say"));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.clientB.events("say").size() == 1 && this.clientA.events("say").size() == 1);
	}

	@Test
	void statusListsTheMembersWithTheirNodes() throws Exception {
		join(this.clientA, "lobby");
		join(this.clientB, "lobby");
		ChatRooms rooms = this.nodeB.getBean(ChatRooms.class);
		assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId, RoomMember::nodeId)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(this.clientA.id(), id(this.nodeA)),
					org.assertj.core.groups.Tuple.tuple(this.clientB.id(), id(this.nodeB)));
		JsonNode view = this.clientB.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v\"}", "v");
		assertThat(view.path("data").path("members")).hasSize(2);
		assertThat(view.path("data").path("members").get(0).has("attributes")).isFalse();
	}

	@Test
	void anotherNodeSetsAnAttributeAndBootsAConnectionThroughApply() throws Exception {
		ClusterConnections fromB = this.nodeB.getBean(ClusterConnections.class);
		ConnectionInfo details = fromB.apply(this.clientA.id(), ConnectionOperation.setAttribute("auth", "ann"));
		assertThat(details.nodeId()).isEqualTo(id(this.nodeA));
		assertThat(details.attributes()).containsEntry("auth", "ann");
		assertThat(fromB.apply(this.clientA.id()).attributes()).containsEntry("auth", "ann");
		assertThat(fromB.list()).extracting(ConnectionInfo::connectionId)
			.contains(this.clientA.id(), this.clientB.id());
		fromB.apply(this.clientA.id(), ConnectionOperation.join("lobby"));
		assertThat(this.nodeA.getBean(ChatRooms.class).status("lobby")).extracting(RoomMember::connectionId)
			.containsExactly(this.clientA.id());
		fromB.apply(this.clientA.id(), ConnectionOperation.disconnect("bye"));
		this.clientA.await((frame) -> frame.path("event").stringValue("").equals("disconnect"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.clientA.isOpen());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThatExceptionOfType(UnknownConnectionException.class)
				.isThrownBy(() -> fromB.apply(this.clientA.id())));
		assertThat(this.nodeB.getBean(ChatRooms.class).status("lobby")).isEmpty();
	}

	@Test
	void pagesOfAnotherOriginAreRefusedUnlessAllowed() throws Exception {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> TestClient.connectFrom(this.nodeA, "http://elsewhere.example"));
		ConfigurableApplicationContext open = this.nodes
			.startWeb("cluster.connections.allowed-origins=http://elsewhere.example");
		try (TestClient allowed = TestClient.connectFrom(open, "http://elsewhere.example")) {
			assertThat(allowed.isOpen()).isTrue();
		}
	}

	@Test
	void aClientThatConnectsToAStoppingNodeIsClosedAsTheOthersWere() throws Exception {
		// The hub stops before the web server does: a handshake that completes meanwhile
		// (a client kicked off a moment ago, trying again) is told the node stops, rather
		// than left open until the process exits.
		this.nodeA.getBean(ConnectionHub.class).stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.clientA.closeStatus() != null);
		try (TestClient late = TestClient.connect(this.nodeA)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> late.closeStatus() != null);
			assertThat(late.closeStatus().getCode()).isEqualTo(1000);
			assertThat(late.closeStatus().getReason()).isEqualTo("the node is stopping");
		}
		assertThat(this.clientA.closeStatus().getReason()).isEqualTo("the node is stopping");
	}

	@Test
	void anUnknownConnectionFailsAtOnce() {
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> this.nodeB.getBean(ClusterConnections.class).apply("no-such-connection"));
	}

	@Test
	void middlewareRefusalReachesTheClientAsAnError() throws Exception {
		this.nodeA.getBean(ChatRooms.class).add("locked-room");
		JsonNode refused = this.clientA.request("{\"event\":\"roomJoin\",\"room\":\"locked-room\",\"requestId\":\"j\"}",
				"j");
		assertThat(refused.path("event").stringValue()).isEqualTo("error");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		assertThat(refused.path("message").stringValue()).contains("locked");
		JsonNode missing = this.clientA.request("{\"event\":\"roomJoin\",\"room\":\"nowhere\",\"requestId\":\"n\"}",
				"n");
		assertThat(missing.path("error").stringValue()).isEqualTo("no-such-room");
	}

	@Test
	void malformedFramesGetAnErrorAndTheConnectionStaysUsable() throws Exception {
		this.clientA.send("this is not json");
		this.clientA.send("[1,2,3]");
		this.clientA.send("{\"event\":\"dance\",\"requestId\":\"d\"}");
		this.clientA.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":1,\"requestId\":\"m\"}");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.clientA.events("error").size() == 4);
		assertThat(this.clientA.events("error")).extracting((frame) -> frame.path("error").stringValue())
			.containsExactly("malformed", "malformed", "unknown-event", "not-member");
		MeterRegistry registry = this.nodeA.getBean(MeterRegistry.class);
		assertThat(registry.counter("cohort.connections.refused", "reason", "malformed").count()).isEqualTo(2);
		assertThat(registry.counter("cohort.connections.refused", "reason", "not-member").count()).isEqualTo(1);
		join(this.clientA, "lobby");
		assertThat(this.clientA.isOpen()).isTrue();
	}

	@Test
	void aFrameLongerThanTheContainersTextBufferArrivesWhole() throws Exception {
		join(this.clientA, "lobby");
		join(this.clientB, "lobby");
		// Many of the container's 1,024-character parts, with characters of 2 and 3 bytes
		String text = "é€x".repeat(8_000);
		JsonNode said = this.clientA.request(
				"{\"event\":\"say\",\"room\":\"lobby\",\"message\":{\"text\":\"" + text + "\"},\"requestId\":\"long\"}",
				"long");
		assertThat(said.path("event").stringValue()).isEqualTo("response");
		JsonNode heard = this.clientB.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(heard.path("message").path("text").stringValue()).isEqualTo(text);
	}

	@Test
	void aFrameOfMaxMessageSizeArrivesWholeAndOneByteMoreIsRefused() throws Exception {
		join(this.clientA, "lobby");
		join(this.clientB, "lobby");
		int max = 64 * 1024;
		String largest = sayOfBytes(max, "largest");
		JsonNode said = this.clientA.request(largest, "largest");
		assertThat(said.path("event").stringValue()).isEqualTo("response");
		JsonNode heard = this.clientB.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(heard.path("message").path("text").stringValue()).hasSize(max - sayOfBytes(0, "largest").length());
		this.clientA.send(sayOfBytes(max + 1, "over"));
		JsonNode error = this.clientA.await((frame) -> frame.path("event").stringValue("").equals("error"));
		assertThat(error.path("error").stringValue()).isEqualTo("too-large");
		assertThat(this.clientA.isOpen()).isTrue();
	}

	/**
	 * A 'say' frame of the given length in bytes (ASCII), or the frame with no text when
	 * the length is 0.
	 */
	private static String sayOfBytes(int bytes, String requestId) {
		String start = "{\"event\":\"say\",\"room\":\"lobby\",\"message\":{\"text\":\"";
		String end = "\"},\"requestId\":\"" + requestId + "\"}";
		return start + "x".repeat(Math.max(0, bytes - start.length() - end.length())) + end;
	}

	@Test
	void oversizedFramesAreRefused() throws Exception {
		String big = "{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"" + "x".repeat(70_000) + "\"}";
		this.clientA.send(big);
		JsonNode error = this.clientA.await((frame) -> frame.path("event").stringValue("").equals("error"));
		assertThat(error.path("error").stringValue()).isEqualTo("too-large");
		join(this.clientA, "lobby");
		String huge = "{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"" + "x".repeat(200_000) + "\"}";
		try {
			this.clientA.send(huge);
		}
		catch (IllegalStateException ex) {
			// The server may close the connection while the frame is still being sent.
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.clientA.isOpen());
		assertThat(this.clientA.closeStatus().getCode()).isEqualTo(1009);
	}

	private static void join(TestClient client, String room) throws Exception {
		String requestId = "join-" + room + "-" + System.nanoTime();
		JsonNode joined = client.request(
				"{\"event\":\"roomJoin\",\"room\":\"" + room + "\",\"requestId\":\"" + requestId + "\"}", requestId);
		assertThat(joined.path("event").stringValue()).isEqualTo("response");
	}

	private static String id(ConfigurableApplicationContext node) {
		return node.getBean(ClusterNodes.class).self().id();
	}

}
