package dev.cohort.connections;

import java.time.Duration;
import java.util.Map;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.test.redis.RedisServer;
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
 * The chat and connection hooks ({@link ChatHooks}) across two nodes on one Redis, with
 * Ann's client on node A and Bob's on node B: each hook runs where its documentation
 * says, once, and what it computes reaches the other node.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ChatHooksAcrossNodesTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	private ChatHooks.Log logA;

	private ChatHooks.Log logB;

	private TestClient annOnA;

	private TestClient bobOnB;

	@BeforeAll
	void startTwoNodesWithHooks() {
		this.nodeA = this.nodes.startWeb("test.chat.hooks=true");
		this.nodeB = this.nodes.startWeb("test.chat.hooks=true");
		this.logA = this.nodeA.getBean(ChatHooks.Log.class);
		this.logB = this.nodeB.getBean(ChatHooks.Log.class);
	}

	@BeforeEach
	void connectAClientToEachNode() throws Exception {
		ChatRooms rooms = this.nodeA.getBean(ChatRooms.class);
		rooms.list().forEach(rooms::destroy);
		rooms.add("lobby");
		this.annOnA = TestClient.connect(this.nodeA);
		this.bobOnB = TestClient.connect(this.nodeB);
		this.annOnA.join("lobby");
		this.bobOnB.join("lobby");
	}

	@AfterEach
	void closeClients() throws Exception {
		this.annOnA.close();
		this.bobOnB.close();
		ClusterConnections connections = this.nodeA.getBean(ClusterConnections.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> connections.list().isEmpty());
	}

	@AfterAll
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void sayMiddlewareRunsOnTheSendersNodeOnlyAndDeliverOnEachRecipientsNode() throws Exception {
		this.annOnA.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hi\",\"requestId\":\"s\"}", "s");
		this.bobOnB.await((frame) -> frame.path("message").stringValue("").equals("hi"));
		this.annOnA.await((frame) -> frame.path("message").stringValue("").equals("hi"));
		// The logs are the nodes' since they started: only this test says "hi" in the
		// lobby.
		assertThat(this.logA.startingWith("say ")).filteredOn((entry) -> entry.endsWith(" lobby hi"))
			.containsExactly("say " + this.annOnA.id() + " lobby hi");
		assertThat(this.logB.startingWith("say ")).noneMatch((entry) -> entry.endsWith(" lobby hi"));
		assertThat(this.logA.startingWith("deliver ")).filteredOn((entry) -> entry.endsWith(" lobby hi"))
			.containsExactly("deliver " + this.annOnA.id() + " lobby hi");
		assertThat(this.logB.startingWith("deliver ")).filteredOn((entry) -> entry.endsWith(" lobby hi"))
			.containsExactly("deliver " + this.bobOnB.id() + " lobby hi");
		JsonNode refused = this.bobOnB
			.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"forbidden\",\"requestId\":\"f\"}", "f");
		assertThat(refused.path("error").stringValue()).isEqualTo("refused");
		assertThat(this.logA.startingWith("deliver ")).noneMatch((entry) -> entry.endsWith("forbidden"));
	}

	@Test
	void deliverMiddlewareChangesWhatMembersOnEveryNodeGet() throws Exception {
		ChatRooms rooms = this.nodeB.getBean(ChatRooms.class);
		rooms.add("censored-room");
		rooms.addMember(this.annOnA.id(), "censored-room");
		rooms.addMember(this.bobOnB.id(), "censored-room");
		this.bobOnB.request("{\"event\":\"say\",\"room\":\"censored-room\",\"message\":\"rude\",\"requestId\":\"r\"}",
				"r");
		JsonNode onA = this.annOnA.await((frame) -> frame.path("event").stringValue("").equals("say"));
		JsonNode onB = this.bobOnB.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(onA.path("message").stringValue()).isEqualTo("***");
		assertThat(onB.path("message").stringValue()).isEqualTo("***");
	}

	@Test
	void leaveMiddlewareRunsOnTheLeaversNodeAndItsRefusalReachesACallerOnAnotherNode() throws Exception {
		ChatRooms fromA = this.nodeA.getBean(ChatRooms.class);
		fromA.add("sticky-room");
		fromA.addMember(this.bobOnB.id(), "sticky-room");
		assertThatExceptionOfType(ChatRefusedException.class)
			.isThrownBy(() -> fromA.removeMember(this.bobOnB.id(), "sticky-room"))
			.withMessageContaining("sticky-room");
		assertThat(fromA.status("sticky-room")).extracting(RoomMember::connectionId).containsExactly(this.bobOnB.id());
		this.bobOnB.request("{\"event\":\"roomLeave\",\"room\":\"lobby\",\"requestId\":\"l\"}", "l");
		this.annOnA.await((frame) -> frame.path("event").stringValue("").equals("leave"));
		assertThat(this.logB.startingWith("leave " + this.bobOnB.id()))
			.containsExactly("leave " + this.bobOnB.id() + " sticky-room", "leave " + this.bobOnB.id() + " lobby");
		assertThat(this.logA.startingWith("leave ")).isEmpty();
	}

	@Test
	void detailsComputedOnTheHoldingNodeAreWhatTheOtherNodeAndItsClientsSee() throws Exception {
		this.nodeB.getBean(ClusterConnections.class)
			.apply(this.annOnA.id(), ConnectionOperation.setAttribute("mood", "happy"));
		ChatRooms fromB = this.nodeB.getBean(ChatRooms.class);
		fromB.add("kitchen");
		fromB.addMember(this.annOnA.id(), "kitchen");
		this.bobOnB.join("kitchen");
		assertThat(fromB.status("kitchen")).filteredOn((member) -> member.connectionId().equals(this.annOnA.id()))
			.singleElement()
			.satisfies((member) -> assertThat(member.details()).isEqualTo(Map.of("mood", "happy")));
		JsonNode view = this.bobOnB.request("{\"event\":\"roomView\",\"room\":\"kitchen\",\"requestId\":\"v\"}", "v");
		assertThat(view.path("data").path("members")).extracting((member) -> member.path("details").toString())
			.containsExactlyInAnyOrder("{\"mood\":\"happy\"}", "{\"mood\":\"calm\"}");
		assertThat(view.toString()).doesNotContain("private-");
	}

	@Test
	void thePayloadRunsOnTheRecipientsNode() throws Exception {
		ChatRooms rooms = this.nodeA.getBean(ChatRooms.class);
		rooms.add("stamped-room");
		this.annOnA.join("stamped-room");
		this.bobOnB.join("stamped-room");
		this.annOnA.request("{\"event\":\"say\",\"room\":\"stamped-room\",\"message\":\"hi\",\"requestId\":\"s\"}",
				"s");
		JsonNode heard = this.bobOnB.await((frame) -> frame.path("event").stringValue("").equals("say"));
		assertThat(heard.path("stamp").stringValue()).isEqualTo("cohort");
		assertThat(heard.path("event").stringValue()).isEqualTo("say");
	}

	@Test
	void connectionListenersRunOnTheHoldingNodeOnly() throws Exception {
		String ann = this.annOnA.id();
		assertThat(this.logA.about(ann)).contains("first opened " + ann, "third opened " + ann);
		assertThat(this.logB.about(ann)).noneMatch((entry) -> entry.contains("opened"));
		this.annOnA.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.logA.about(ann).contains("third closed " + ann));
		assertThat(this.logB.about(ann)).noneMatch((entry) -> entry.contains("closed"));
	}

}
