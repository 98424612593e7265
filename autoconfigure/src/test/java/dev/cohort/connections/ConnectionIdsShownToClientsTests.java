package dev.cohort.connections;

import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What WebSocket clients learn of each other: by default the users of other connections,
 * never their connection ids (each client gets its own in its welcome and in the events
 * about itself); with {@code cluster.connections.show-connection-ids} the ids as well.
 * Alice on one node, Bob on another, on one Redis; the application's Java API keeps the
 * connection ids either way.
 */
class ConnectionIdsShownToClientsTests {

	@Test
	void otherClientsSeeTheUserAndNoConnectionIdOfAlicesSayJoinLeaveAndRoomView() throws Exception {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			Seen seen = aliceTalksToBob(nodes.startWeb(), nodes.startWeb());
			for (JsonNode frame : seen.frames()) {
				assertThat(frame.toString()).as("a frame Bob received").doesNotContain(seen.aliceId());
			}
			assertThat(seen.join().path("user").stringValue()).isEqualTo("alice");
			assertThat(seen.join().has("connectionId")).isFalse();
			assertThat(seen.say().path("user").stringValue()).isEqualTo("alice");
			assertThat(seen.say().has("from")).isFalse();
			assertThat(seen.say().path("message").path("text").stringValue()).isEqualTo("hi bob");
			assertThat(seen.leave().path("user").stringValue()).isEqualTo("alice");
			assertThat(seen.leave().has("connectionId")).isFalse();
			// Bob's own entry keeps its id, Alice's shows her user and when she joined.
			JsonNode alice = member(seen.view(), "alice");
			assertThat(alice.has("connectionId")).isFalse();
			assertThat(alice.has("nodeId")).isFalse();
			assertThat(alice.path("joinedAt").isMissingNode()).isFalse();
			assertThat(member(seen.view(), "bob").path("connectionId").stringValue()).isEqualTo(seen.bobId());
			// Alice's own frames carry her own id, so that her client knows them for its
			// own.
			assertThat(seen.aliceOwnSay().path("from").stringValue()).isEqualTo(seen.aliceId());
			assertThat(seen.aliceOwnSay().path("user").stringValue()).isEqualTo("alice");
			// The application still sees connection ids, and now users too.
			assertThat(seen.members()).extracting(RoomMember::connectionId)
				.containsExactlyInAnyOrder(seen.aliceId(), seen.bobId());
			assertThat(seen.members()).extracting(RoomMember::user).containsExactlyInAnyOrder("alice", "bob");
		}
	}

	@Test
	void withShowConnectionIdsOtherClientsSeeTheIdsToo() throws Exception {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			String show = "cluster.connections.show-connection-ids=true";
			Seen seen = aliceTalksToBob(nodes.startWeb(show), nodes.startWeb(show));
			assertThat(seen.join().path("connectionId").stringValue()).isEqualTo(seen.aliceId());
			assertThat(seen.join().path("user").stringValue()).isEqualTo("alice");
			assertThat(seen.say().path("from").stringValue()).isEqualTo(seen.aliceId());
			assertThat(seen.say().path("user").stringValue()).isEqualTo("alice");
			assertThat(seen.leave().path("connectionId").stringValue()).isEqualTo(seen.aliceId());
			JsonNode alice = member(seen.view(), "alice");
			assertThat(alice.path("connectionId").stringValue()).isEqualTo(seen.aliceId());
			assertThat(alice.path("nodeId").isString()).isTrue();
		}
	}

	/**
	 * Bob, on node B, is in {@code lobby}; Alice, on node A, joins, views the room, says
	 * something and leaves.
	 */
	private static Seen aliceTalksToBob(ConfigurableApplicationContext nodeA, ConfigurableApplicationContext nodeB)
			throws Exception {
		nodeA.getBean(ChatRooms.class).add("lobby");
		try (TestClient alice = TestClient.connectAs(nodeA, "alice");
				TestClient bob = TestClient.connectAs(nodeB, "bob")) {
			bob.join("lobby");
			alice.join("lobby");
			JsonNode join = bob.await((frame) -> frame.path("event").stringValue("").equals("join")
					&& frame.path("user").stringValue("").equals("alice"));
			JsonNode view = bob.request("{\"event\":\"roomView\",\"room\":\"lobby\",\"requestId\":\"v\"}", "v");
			List<RoomMember> members = nodeB.getBean(ChatRooms.class).status("lobby");
			alice.request(
					"{\"event\":\"say\",\"room\":\"lobby\",\"message\":{\"text\":\"hi bob\"},\"requestId\":\"s\"}",
					"s");
			JsonNode say = bob.await((frame) -> frame.path("event").stringValue("").equals("say"));
			JsonNode aliceOwnSay = alice.await((frame) -> frame.path("event").stringValue("").equals("say"));
			alice.request("{\"event\":\"roomLeave\",\"room\":\"lobby\",\"requestId\":\"l\"}", "l");
			JsonNode leave = bob.await((frame) -> frame.path("event").stringValue("").equals("leave"));
			return new Seen(alice.id(), bob.id(), List.copyOf(bob.frames), join, say, leave, view.path("data"),
					aliceOwnSay, members);
		}
	}

	private static JsonNode member(JsonNode view, String user) {
		for (JsonNode member : view.path("members")) {
			if (member.path("user").stringValue("").equals(user)) {
				return member;
			}
		}
		throw new AssertionError("No member of user " + user + " in " + view);
	}

	/**
	 * What Bob received of Alice, and what the application saw.
	 */
	private record Seen(String aliceId, String bobId, List<JsonNode> frames, JsonNode join, JsonNode say,
			JsonNode leave, JsonNode view, JsonNode aliceOwnSay, List<RoomMember> members) {
	}

}
