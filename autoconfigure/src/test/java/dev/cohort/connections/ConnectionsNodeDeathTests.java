package dev.cohort.connections;

import java.net.ServerSocket;
import java.time.Duration;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose process is killed has its connections leave their rooms.
 */
class ConnectionsNodeDeathTests {

	@Test
	void membersOfAKilledNodeLeaveTheirRoomsAfterTheNodeTimeout() throws Exception {
		membersOfAKilledNodeLeaveTheirRooms(TestNodes.redis(RedisServer.shared()));
	}

	/**
	 * On a Redis Cluster the killed node's keys, the room's and the connection index's
	 * are on different masters, each cleaned by a script of its own.
	 */
	@Test
	void membersOfAKilledNodeLeaveTheirRoomsOnARedisCluster() throws Exception {
		membersOfAKilledNodeLeaveTheirRooms(TestNodes.redisCluster(RedisClusterSet.shared()));
	}

	private void membersOfAKilledNodeLeaveTheirRooms(TestNodes testNodes) throws Exception {
		try (TestNodes nodes = testNodes) {
			// The leave frame names the connection of the node that died.
			ConfigurableApplicationContext survivor = nodes.startWeb("cluster.connections.show-connection-ids=true");
			ChatRooms rooms = survivor.getBean(ChatRooms.class);
			rooms.add("lobby");
			int port = freePort();
			try (ForkedNode doomed = ForkedNode.start(nodes.arguments("cluster.node-id=doomed",
					"spring.main.web-application-type=servlet", "server.address=127.0.0.1", "server.port=" + port))) {
				doomed.awaitMemberOf(survivor, "doomed");
				try (TestClient onDoomed = TestClient.connect(port);
						TestClient onSurvivor = TestClient.connect(survivor)) {
					onDoomed.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"a\"}", "a");
					onSurvivor.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"b\"}", "b");
					assertThat(rooms.status("lobby")).hasSize(2);
					doomed.kill();
					JsonNode left = onSurvivor.await((frame) -> frame.path("event").stringValue("").equals("leave")
							&& frame.path("connectionId").stringValue("").equals(onDoomed.id()));
					assertThat(left.path("room").stringValue()).isEqualTo("lobby");
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId)
							.containsExactly(onSurvivor.id()));
					ConnectionStore store = survivor.getBean(ConnectionStore.class);
					await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
						assertThat(store.connectionCount("doomed")).isZero();
						assertThat(store.nodeOf(onDoomed.id())).isEmpty();
					});
					assertThat(store.summary("doomed", "unused")).isEqualTo(new ConnectionStore.Summary(
							store.summary("survivor-check", "unused").epoch(), false, 0, 0));
				}
			}
		}
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
