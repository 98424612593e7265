package dev.cohort.connections.internal;

import java.time.Duration;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node heals its directory entries on its own when they no longer match what it holds
 * (a write lost in a failover, a race): on both transports.
 */
class DirectoryReconcilerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void lostAndGhostEntriesOfANodeHealOnRedis() throws Exception {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			assertLostAndGhostEntriesHeal(nodes.startWeb("cluster.connections.show-connection-ids=true"));
		}
	}

	@Test
	void lostAndGhostEntriesOfANodeHealOnTheLocalTransport() throws Exception {
		try (TestNodes nodes = TestNodes.local()) {
			assertLostAndGhostEntriesHeal(
					nodes.startWeb("cluster.heartbeat-interval=200ms", "cluster.connections.show-connection-ids=true"));
		}
	}

	/**
	 * Needs a node that shows clients other connections' ids: the ghost's leave frame is
	 * recognised by its id.
	 */
	private static void assertLostAndGhostEntriesHeal(ConfigurableApplicationContext node) throws Exception {
		ChatRooms rooms = node.getBean(ChatRooms.class);
		ConnectionStore store = node.getBean(ConnectionStore.class);
		String nodeId = node.getBean(ClusterNodes.class).self().id();
		rooms.add("lobby");
		try (TestClient client = TestClient.connect(node)) {
			join(client, "lobby");
			// The directory loses the client, and keeps a connection the node does not
			// hold: as many connections and memberships as before, but not the same.
			store.unregister(client.id(), nodeId);
			store.register("ghost", nodeId);
			store.join("lobby", "ghost", nodeId, 1);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId)
					.containsExactly(client.id()));
			assertThat(store.nodeOf(client.id())).contains(nodeId);
			assertThat(store.nodeOf("ghost")).isEmpty();
			client.await((frame) -> frame.path("event").stringValue("").equals("leave")
					&& frame.path("connectionId").stringValue("").equals("ghost"));
			// The client's membership was told again, as it was missing.
			await().atMost(TIMEOUT).until(() -> client.events("join").size() == 2);
		}
	}

	private static void join(TestClient client, String room) throws Exception {
		JsonNode joined = client.request("{\"event\":\"roomJoin\",\"room\":\"" + room + "\",\"requestId\":\"j\"}", "j");
		assertThat(joined.path("event").stringValue()).isEqualTo("response");
	}

}
