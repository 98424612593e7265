package dev.cohort.connections;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
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

}
