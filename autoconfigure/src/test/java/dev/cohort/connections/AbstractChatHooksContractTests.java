package dev.cohort.connections;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.testapp.ChatHooks;
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
 * The application's chat and connection hooks ({@link ChatHooks}) on one node with two
 * WebSocket clients, the same on every transport: member details, the message payload,
 * who may view a room, say, leave and deliver middleware, and connection listeners.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractChatHooksContractTests {

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private ChatRooms rooms;

	private ChatHooks.Log log;

	private TestClient ann;

	private TestClient bob;

	protected abstract TestNodes nodes();

	@BeforeAll
	void startANodeWithHooks() {
		this.nodes = nodes();
		this.node = this.nodes.startWeb("test.chat.hooks=true");
		this.rooms = this.node.getBean(ChatRooms.class);
		this.log = this.node.getBean(ChatHooks.Log.class);
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
		ClusterConnections connections = this.node.getBean(ClusterConnections.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> connections.list().isEmpty());
	}

	@AfterAll
	void closeNode() {
		this.nodes.close();
	}

	@Test
	void aMemberShowsItsSanitisedDetailsInStatusAndRoomView() throws Exception {
		this.node.getBean(ClusterConnections.class)
			.apply(this.ann.id(), ConnectionOperation.setAttribute("mood", "happy"));
		this.ann.join("lobby");
		this.bob.join("lobby");
		assertThat(this.rooms.status("lobby")).extracting(RoomMember::connectionId, RoomMember::details)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(this.ann.id(), Map.of("mood", "happy")),
					org.assertj.core.groups.Tuple.tuple(this.bob.id(), Map.of("mood", "calm")));
		JsonNode view = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v\"}", "v");
		assertThat(view.path("data").path("members")).extracting((member) -> member.path("details").toString())
			.containsExactlyInAnyOrder("{\"mood\":\"happy\"}", "{\"mood\":\"calm\"}");
		assertThat(view.toString()).as("what sanitising took out").doesNotContain("private-");
		// Details are those of the join: a member that changes shows it once it joins
		// again.
		this.node.getBean(ClusterConnections.class)
			.apply(this.ann.id(), ConnectionOperation.setAttribute("mood", "sleepy"));
		this.rooms.removeMember(this.ann.id(), "lobby");
		this.rooms.addMember(this.ann.id(), "lobby");
		assertThat(this.rooms.status("lobby")).filteredOn((member) -> member.connectionId().equals(this.ann.id()))
			.singleElement()
			.satisfies((member) -> assertThat(member.details()).isEqualTo(Map.of("mood", "sleepy")));
	}

	@Test
	void detailsTooLargeRefuseTheJoinAndTheNodeGoesOn() throws Exception {
		this.rooms.add("huge-room");
		JsonNode refused = this.ann.joinRoom("huge-room");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		assertThat(refused.path("message").stringValue()).contains("cluster.chat.max-member-details-size");
		assertThatExceptionOfType(ChatRefusedException.class)
			.isThrownBy(() -> this.rooms.addMember(this.bob.id(), "huge-room"))
			.withMessageContaining("cluster.chat.max-member-details-size");
		assertThat(this.rooms.status("huge-room")).isEmpty();
		this.ann.join("lobby");
		assertThat(this.rooms.status("lobby")).hasSize(1);
	}

	@Test
	void theMessagePayloadShapesWhatRecipientsGetButNotTheEvent() throws Exception {
		this.rooms.add("stamped-room");
		this.ann.join("stamped-room");
		this.bob.join("stamped-room");
		this.ann.request(
				"{\"event\":\"say\",\"room\":\"stamped-room\",\"message\":{\"text\":\"hi\"},\"requestId\":\"s\"}", "s");
		JsonNode heard = this.bob.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(heard.path("stamp").stringValue()).isEqualTo("cohort");
		assertThat(heard.path("message").path("text").stringValue()).isEqualTo("hi");
		assertThat(heard.has("from")).as("another client's connection id").isFalse();
		JsonNode own = this.ann.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(own.path("from").stringValue()).isEqualTo(this.ann.id());
		assertThat(own.path("stamp").stringValue()).isEqualTo("cohort");
	}

	@Test
	void roomViewIsForMembersAndForOthersOnlyWhereTheAuthorizerAllows() throws Exception {
		JsonNode refused = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v1\"}", "v1");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		this.bob.join("lobby");
		JsonNode member = this.bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v2\"}", "v2");
		assertThat(member.path("data").path("members")).hasSize(1);
		this.rooms.add("open-house");
		this.ann.join("open-house");
		JsonNode visitor = this.bob.request("{\"event\":\"roomView\",\"room\":\"open-house\",\"requestId\":\"v3\"}",
				"v3");
		assertThat(visitor.path("data").path("members")).hasSize(1);
	}

	@Test
	void sayMiddlewareRunsOnceAndMayRefuseDeliverRunsPerRecipientAndMayChangeIt() throws Exception {
		this.ann.join("lobby");
		this.bob.join("lobby");
		JsonNode refused = this.ann
			.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"forbidden\",\"requestId\":\"f\"}", "f");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		this.ann.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hi\",\"requestId\":\"s\"}", "s");
		this.bob.await((frame) -> frame.path("message").stringValue("").equals("hi"));
		this.ann.await((frame) -> frame.path("message").stringValue("").equals("hi"));
		assertThat(this.log.startingWith("say " + this.ann.id()))
			.containsExactly("say " + this.ann.id() + " lobby forbidden", "say " + this.ann.id() + " lobby hi");
		assertThat(this.log.startingWith("deliver ")).filteredOn((entry) -> entry.endsWith(" lobby hi"))
			.containsExactlyInAnyOrder("deliver " + this.ann.id() + " lobby hi",
					"deliver " + this.bob.id() + " lobby hi");
		assertThat(this.bob.events("say")).extracting((frame) -> frame.path("message").stringValue())
			.as("what was refused reached no one")
			.containsExactly("hi");
		this.rooms.add("censored-room");
		this.ann.join("censored-room");
		this.bob.join("censored-room");
		this.ann.request("{\"event\":\"say\",\"room\":\"censored-room\",\"message\":\"rude\",\"requestId\":\"r\"}",
				"r");
		JsonNode censored = this.bob.await((frame) -> frame.path("room").stringValue("").equals("censored-room")
				&& frame.path("event").stringValue("").equals("say"));
		assertThat(censored.path("message").stringValue()).isEqualTo("***");
	}

	@Test
	void leaveMiddlewareRunsOnTheLeaveAndMayRefuseIt() throws Exception {
		this.rooms.add("sticky-room");
		this.ann.join("sticky-room");
		this.ann.join("lobby");
		JsonNode refused = this.ann.request("{\"event\":\"roomLeave\",\"room\":\"sticky-room\",\"requestId\":\"l1\"}",
				"l1");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		assertThatExceptionOfType(ChatRefusedException.class)
			.isThrownBy(() -> this.rooms.removeMember(this.ann.id(), "sticky-room"));
		assertThat(this.rooms.status("sticky-room")).hasSize(1);
		JsonNode left = this.ann.request("{\"event\":\"roomLeave\",\"room\":\"lobby\",\"requestId\":\"l2\"}", "l2");
		assertThat(left.path("event").stringValue()).isEqualTo("response");
		assertThat(this.rooms.status("lobby")).isEmpty();
		assertThat(this.log.startingWith("leave " + this.ann.id())).containsExactly(
				"leave " + this.ann.id() + " sticky-room", "leave " + this.ann.id() + " sticky-room",
				"leave " + this.ann.id() + " lobby");
	}

	@Test
	void connectionListenersHearOfOpenAndCloseInOrderAndABrokenOneChangesNothing() throws Exception {
		TestClient carl = TestClient.connect(this.node);
		String id = carl.id();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.log.about(id).size() == 2);
		assertThat(this.log.about(id)).containsExactly("first opened " + id, "third opened " + id);
		carl.join("lobby");
		carl.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.log.about(id).size() == 4);
		assertThat(this.log.about(id)).containsExactly("first opened " + id, "third opened " + id,
				"first closed " + id + " " + List.of("lobby"), "third closed " + id);
		assertThat(this.rooms.status("lobby")).isEmpty();
		this.ann.join("lobby");
		assertThat(this.ann.isOpen()).isTrue();
	}

}
