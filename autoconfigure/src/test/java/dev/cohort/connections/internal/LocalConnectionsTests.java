package dev.cohort.connections.internal;

import java.time.Instant;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections and rooms on the local transport: a solitary node with no Redis.
 */
class LocalConnectionsTests {

	@Test
	void twoClientsOfASolitaryNodeChatAndTheServerActsOnThem() throws Exception {
		try (TestNodes nodes = TestNodes.local()) {
			ConfigurableApplicationContext node = nodes.startWeb();
			ChatRooms rooms = node.getBean(ChatRooms.class);
			assertThat(rooms.add("lobby")).isTrue();
			assertThat(rooms.add("lobby")).isFalse();
			try (TestClient ann = TestClient.connect(node); TestClient bob = TestClient.connect(node)) {
				ann.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"1\"}", "1");
				rooms.addMember(bob.id(), "lobby");
				assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId)
					.containsExactlyInAnyOrder(ann.id(), bob.id());
				ann.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hello\",\"requestId\":\"2\"}", "2");
				JsonNode heard = bob.await((frame) -> frame.path("event").stringValue("").equals("say"));
				assertThat(heard.path("message").stringValue()).isEqualTo("hello");
				rooms.broadcast("lobby", "from the server");
				bob.await((frame) -> frame.path("message").stringValue("").equals("from the server"));
				node.getBean(ClusterConnections.class).apply(bob.id(), ConnectionOperation.send("direct"));
				bob.await((frame) -> frame.path("event").stringValue("").equals("message"));
				assertThat(rooms.destroy("lobby")).isTrue();
				ann.await((frame) -> frame.path("event").stringValue("").equals("leave"));
				assertThat(rooms.list()).isEmpty();
			}
		}
	}

	@Test
	void theIndexForgetsARoomWhenItsLastMemberOnThisNodeLeaves() {
		LocalConnections connections = new LocalConnections();
		LocalConnection ann = connection("ann");
		LocalConnection bob = connection("bob");
		connections.add(ann);
		connections.add(bob);
		for (int i = 0; i < 100; i++) {
			connections.joined(ann, "room-" + i);
			connections.left(ann, "room-" + i);
		}
		connections.joined(ann, "lobby");
		connections.joined(bob, "lobby");
		connections.joined(bob, "kitchen");
		assertThat(connections.rooms()).containsExactlyInAnyOrder("lobby", "kitchen");
		connections.left(ann, "lobby");
		assertThat(connections.inRoom("lobby")).containsExactly(bob);
		connections.remove(bob);
		assertThat(connections.rooms()).isEmpty();
		assertThat(connections.inRoom("lobby")).isEmpty();
	}

	private static LocalConnection connection(String id) {
		return new LocalConnection(id, "secret-of-" + id, new ClientChannel() {

			@Override
			public void send(String frame) {
			}

			@Override
			public void close(String reason) {
			}

		}, "test", Instant.now(), null);
	}

}
