package dev.cohort.connections;

import java.time.Duration;
import java.util.Map;

import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.rpc.UnknownConnectionException;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What ClusterConnections and ChatRooms do on one node with two WebSocket clients, the
 * same on every transport. One node serves every test of a class (starting one per test
 * was most of the suite's time); each test gets two new clients and only the room
 * {@code lobby}, and its clients are gone from the directory before the next one.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterConnectionsContractTests {

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private ChatRooms rooms;

	private ClusterConnections connections;

	private TestClient ann;

	private TestClient bob;

	protected abstract TestNodes nodes();

	@BeforeAll
	void startANode() {
		this.nodes = nodes();
		this.node = this.nodes.startWeb();
		this.rooms = this.node.getBean(ChatRooms.class);
		this.connections = this.node.getBean(ClusterConnections.class);
	}

	@BeforeEach
	void connectTwoClientsWithOnlyALobby() throws Exception {
		this.rooms.list().forEach(this.rooms::destroy);
		this.rooms.add("lobby");
		this.ann = TestClient.connect(this.node);
		this.bob = TestClient.connect(this.node);
	}

	@AfterEach
	void closeClients() throws Exception {
		this.ann.close();
		this.bob.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connections.list().isEmpty());
	}

	@AfterAll
	void closeNode() {
		this.nodes.close();
	}

	@Test
	void roomsAreAddedListedCountedAndDestroyed() {
		assertThat(this.rooms.add("kitchen")).isTrue();
		assertThat(this.rooms.add("kitchen")).isFalse();
		assertThat(this.rooms.exists("kitchen")).isTrue();
		assertThat(this.rooms.exists("nowhere")).isFalse();
		assertThat(this.rooms.list()).containsExactly("kitchen", "lobby");
		this.rooms.addMember(this.ann.id(), "kitchen");
		assertThat(this.rooms.memberCounts()).isEqualTo(Map.of("kitchen", 1L, "lobby", 0L));
		assertThat(this.rooms.destroy("kitchen")).isTrue();
		assertThat(this.rooms.destroy("kitchen")).isFalse();
		assertThat(this.rooms.list()).containsExactly("lobby");
		assertThatExceptionOfType(ChatRoomException.class).isThrownBy(() -> this.rooms.status("kitchen"));
		assertThatExceptionOfType(ChatRoomException.class).isThrownBy(() -> this.rooms.broadcast("kitchen", "x"));
		assertThatExceptionOfType(ChatRoomException.class)
			.isThrownBy(() -> this.rooms.addMember(this.ann.id(), "kitchen"));
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> this.rooms.addMember("no-such-connection", "lobby"));
	}

	@Test
	void startingRoomsAreCreatedByEveryNodeAsItStartsAndExistingOnesKept() {
		this.rooms.add("help");
		this.rooms.addMember(this.ann.id(), "help");
		TestNodes others = nodes();
		try {
			ChatRooms started = others.start("cluster.chat.starting-rooms=help,support").getBean(ChatRooms.class);
			assertThat(started.list()).contains("help", "support");
			assertThat(started.add("support")).isFalse();
			if (started.exists("lobby")) {
				// The nodes share a directory (not so on the local transport, where each
				// node is a cluster of its own): the room that existed is left as it was,
				// with its member, and the new one is everyone's.
				assertThat(started.status("help")).extracting(RoomMember::connectionId).containsExactly(this.ann.id());
				assertThat(this.rooms.list()).contains("support");
			}
		}
		finally {
			others.close();
		}
	}

	@Test
	void aSayReachesEveryMemberOnceAndAServerBroadcastToo() throws Exception {
		join(this.ann, "lobby");
		this.rooms.addMember(this.bob.id(), "lobby");
		JsonNode said = this.ann
			.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":{\"text\":\"hi\"},\"requestId\":\"s1\"}", "s1");
		assertThat(said.path("event").stringValue()).isEqualTo("response");
		JsonNode heard = this.bob.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(heard.has("from")).as("another client's connection id").isFalse();
		assertThat(heard.toString()).doesNotContain(this.ann.id());
		assertThat(heard.path("room").stringValue()).isEqualTo("lobby");
		assertThat(heard.path("message").path("text").stringValue()).isEqualTo("hi");
		this.ann.await((frame) -> frame.path("event").stringValue("").equals("say"));
		this.rooms.broadcast("lobby", "from the server");
		this.ann.await((frame) -> frame.path("message").stringValue("").equals("from the server"));
		this.bob.await((frame) -> frame.path("message").stringValue("").equals("from the server"));
		assertThat(this.bob.events("say")).as("each once").hasSize(2);
		assertThat(this.ann.events("say")).hasSize(2);
	}

	@Test
	void statusListsTheMembersWithTheirNodeAndJoinTime() throws Exception {
		long before = System.currentTimeMillis();
		join(this.ann, "lobby");
		this.rooms.addMember(this.bob.id(), "lobby");
		String self = this.node.getBean(ClusterNodes.class).self().id();
		assertThat(this.rooms.status("lobby")).extracting(RoomMember::connectionId)
			.containsExactlyInAnyOrder(this.ann.id(), this.bob.id());
		assertThat(this.rooms.status("lobby")).allSatisfy((member) -> {
			assertThat(member.nodeId()).isEqualTo(self);
			assertThat(member.joinedAt().toEpochMilli()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
		});
		JsonNode view = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v\"}", "v");
		assertThat(view.path("data").path("members")).hasSize(2);
		this.rooms.removeMember(this.bob.id(), "lobby");
		this.rooms.removeMember(this.bob.id(), "lobby");
		assertThat(this.rooms.status("lobby")).extracting(RoomMember::connectionId).containsExactly(this.ann.id());
	}

	@Test
	void onlyMembersMayViewARoomByDefault() throws Exception {
		JsonNode refused = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v1\"}", "v1");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		join(this.bob, "lobby");
		JsonNode view = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v2\"}", "v2");
		assertThat(view.path("data").path("members")).hasSize(1);
		assertThat(view.path("data").path("members").get(0).has("details")).as("a member without details").isFalse();
	}

	@Test
	void applyReadsAConnectionAndActsOnIt() throws Exception {
		ConnectionInfo info = this.connections.apply(this.ann.id(), ConnectionOperation.setAttribute("auth", "ann"));
		assertThat(info.connectionId()).isEqualTo(this.ann.id());
		assertThat(info.nodeId()).isEqualTo(this.node.getBean(ClusterNodes.class).self().id());
		assertThat(info.attributes()).containsEntry("auth", "ann");
		assertThat(this.connections.apply(this.ann.id()).attributes()).containsEntry("auth", "ann");
		this.connections.apply(this.ann.id(), ConnectionOperation.removeAttribute("auth"));
		assertThat(this.connections.apply(this.ann.id()).attributes()).doesNotContainKey("auth");
		assertThat(this.connections.list()).extracting(ConnectionInfo::connectionId)
			.containsExactlyInAnyOrder(this.ann.id(), this.bob.id());
		this.connections.apply(this.ann.id(), ConnectionOperation.send("direct"));
		this.ann.await((frame) -> frame.path("event").stringValue("").equals("message")
				&& frame.path("message").stringValue("").equals("direct"));
		this.connections.apply(this.ann.id(), ConnectionOperation.join("lobby"));
		assertThat(this.rooms.status("lobby")).extracting(RoomMember::connectionId).containsExactly(this.ann.id());
		this.connections.apply(this.ann.id(), ConnectionOperation.leave("lobby"));
		assertThat(this.rooms.status("lobby")).isEmpty();
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> this.connections.apply("no-such-connection"));
	}

	@Test
	void aDisconnectedClientIsForgottenAndLeavesItsRooms() throws Exception {
		join(this.ann, "lobby");
		this.rooms.add("kitchen");
		join(this.ann, "kitchen");
		this.connections.apply(this.ann.id(), ConnectionOperation.disconnect("bye"));
		this.ann.await((frame) -> frame.path("event").stringValue("").equals("disconnect"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.ann.isOpen());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThatExceptionOfType(UnknownConnectionException.class)
				.isThrownBy(() -> this.connections.apply(this.ann.id())));
		assertThat(this.rooms.status("lobby")).isEmpty();
		assertThat(this.rooms.status("kitchen")).isEmpty();
		assertThat(this.connections.list()).extracting(ConnectionInfo::connectionId).containsExactly(this.bob.id());
	}

	@Test
	void aClientThatClosesLeavesItsRooms() throws Exception {
		join(this.bob, "lobby");
		this.bob.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rooms.status("lobby").isEmpty());
		assertThat(this.connections.list()).extracting(ConnectionInfo::connectionId).containsExactly(this.ann.id());
	}

	@Test
	void destroyingARoomTellsItsMembersTheyLeft() throws Exception {
		join(this.ann, "lobby");
		assertThat(this.rooms.destroy("lobby")).isTrue();
		JsonNode left = this.ann.await((frame) -> frame.path("event").stringValue("").equals("leave"));
		assertThat(left.path("room").stringValue()).isEqualTo("lobby");
		JsonNode refused = this.ann
			.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hi\",\"requestId\":\"s\"}", "s");
		assertThat(refused.path("event").stringValue()).isEqualTo("error");
	}

	@Test
	void refusalsReachTheClientAsErrors() throws Exception {
		this.rooms.add("locked-room");
		JsonNode refused = this.ann.request("{\"event\":\"roomJoin\",\"room\":\"locked-room\",\"requestId\":\"j\"}",
				"j");
		assertThat(refused.path("event").stringValue()).isEqualTo("error");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		JsonNode missing = this.ann.request("{\"event\":\"roomJoin\",\"room\":\"nowhere\",\"requestId\":\"n\"}", "n");
		assertThat(missing.path("error").stringValue()).isEqualTo("no-such-room");
		this.ann.send("this is not json");
		this.ann.send("{\"event\":\"dance\",\"requestId\":\"d\"}");
		this.ann.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":1,\"requestId\":\"m\"}");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ann.events("error").size() == 5);
		assertThat(this.ann.events("error")).extracting((frame) -> frame.path("error").stringValue())
			.containsExactly("refused", "no-such-room", "malformed", "unknown-event", "not-member");
		join(this.ann, "lobby");
		assertThat(this.ann.isOpen()).isTrue();
	}

	private static void join(TestClient client, String room) throws Exception {
		assertThat(client.joinRoom(room).path("event").stringValue()).isEqualTo("response");
	}

}
