package dev.cohort.connections;

import java.time.Duration;
import java.util.List;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.test.redis.RedisServer;
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
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Who a connection belongs to: the principal its handshake authenticated (here by the
 * test application's {@code HeaderAuthenticationFilter} or {@code QueryHandshakeHandler})
 * is its user, on every node, in the directory and for chat middleware. Two nodes on one
 * Redis serve every test.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ConnectionIdentityTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	private TestClient aliceOnA;

	private TestClient aliceOnB;

	private TestClient bobOnB;

	private TestClient anonymousOnA;

	@BeforeAll
	void startTwoNodes() {
		// The directory's reconciler checks every five heartbeats.
		this.nodeA = this.nodes.startWeb("cluster.heartbeat-interval=500ms",
				"cluster.connections.private-rooms=staff-");
		this.nodeB = this.nodes.startWeb("cluster.heartbeat-interval=500ms",
				"cluster.connections.private-rooms=staff-");
	}

	@BeforeEach
	void connectClients() throws Exception {
		this.aliceOnA = TestClient.connectAs(this.nodeA, "alice");
		// One through the application's HandshakeHandler, the others through the HTTP
		// request's principal, as Spring Security sets it.
		this.aliceOnB = TestClient.connectWithQuery(this.nodeB, "user=alice");
		this.bobOnB = TestClient.connectAs(this.nodeB, "bob");
		this.anonymousOnA = TestClient.connect(this.nodeA);
	}

	@AfterEach
	void closeClients() throws Exception {
		for (TestClient client : List.of(this.aliceOnA, this.aliceOnB, this.bobOnB, this.anonymousOnA)) {
			client.close();
		}
		ClusterConnections connections = this.nodeA.getBean(ClusterConnections.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> connections.list().isEmpty());
	}

	@AfterAll
	void stopNodes() {
		this.nodes.close();
	}

	@Test
	void theHandshakesPrincipalIsTheConnectionsUserOnEveryNode() {
		for (ConfigurableApplicationContext node : List.of(this.nodeA, this.nodeB)) {
			ClusterConnections connections = node.getBean(ClusterConnections.class);
			assertThat(connections.apply(this.aliceOnA.id()).user()).isEqualTo("alice");
			assertThat(connections.apply(this.bobOnB.id()).user()).isEqualTo("bob");
			assertThat(connections.apply(this.anonymousOnA.id()).user()).isNull();
			assertThat(connections.list()).extracting(ConnectionInfo::connectionId, ConnectionInfo::user)
				.containsExactlyInAnyOrder(tuple(this.aliceOnA.id(), "alice"), tuple(this.aliceOnB.id(), "alice"),
						tuple(this.bobOnB.id(), "bob"), tuple(this.anonymousOnA.id(), null));
		}
		assertThat(this.nodeA.getBean(ClusterConnections.class).apply(this.aliceOnB.id()).attributes())
			.containsEntry(ConnectionInfo.USER_ATTRIBUTE, "alice");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionOperation.setAttribute(ConnectionInfo.USER_ATTRIBUTE, "mallory"));
	}

	@Test
	void connectionsOfAUserAreFoundOnAnyNodeUntilTheyClose() throws Exception {
		for (ConfigurableApplicationContext node : List.of(this.nodeA, this.nodeB)) {
			ClusterConnections connections = node.getBean(ClusterConnections.class);
			assertThat(connections.connectionsOf("alice")).extracting(ConnectionInfo::connectionId)
				.containsExactlyInAnyOrder(this.aliceOnA.id(), this.aliceOnB.id());
			assertThat(connections.connectionsOf("bob")).extracting(ConnectionInfo::nodeId)
				.containsExactly(this.nodeB.getBean(NodeInfo.class).id());
			assertThat(connections.connectionsOf("nobody")).isEmpty();
		}
		this.aliceOnA.close();
		ClusterConnections fromB = this.nodeB.getBean(ClusterConnections.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(fromB.connectionsOf("alice")).extracting(ConnectionInfo::connectionId)
				.containsExactly(this.aliceOnB.id()));
	}

	@Test
	void aConnectionTheDirectoryLostIsListedUnderItsUserAgain() {
		ConnectionStore store = this.nodeA.getBean(ConnectionStore.class);
		String nodeId = this.nodeA.getBean(NodeInfo.class).id();
		store.unregister(this.aliceOnA.id(), nodeId);
		assertThat(store.connectionsOfUser("alice")).doesNotContainKey(this.aliceOnA.id());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(store.connectionsOfUser("alice")).containsEntry(this.aliceOnA.id(), nodeId));
	}

	@Test
	void anOperationAppliedToAUserReachesEachOfItsConnectionsAndNoOneElse() {
		List<ConnectionInfo> done = this.nodeA.getBean(ClusterConnections.class)
			.applyToUser("alice", ConnectionOperation.send("for alice"));
		assertThat(done).extracting(ConnectionInfo::connectionId)
			.containsExactlyInAnyOrder(this.aliceOnA.id(), this.aliceOnB.id());
		for (TestClient alice : List.of(this.aliceOnA, this.aliceOnB)) {
			alice.await((frame) -> frame.path("message").stringValue("").equals("for alice"));
		}
		this.nodeB.getBean(ClusterConnections.class).applyToUser("bob", ConnectionOperation.send("for bob"));
		this.bobOnB.await((frame) -> frame.path("message").stringValue("").equals("for bob"));
		assertThat(this.bobOnB.events("message")).hasSize(1);
		assertThat(this.anonymousOnA.events("message")).isEmpty();
		assertThat(this.nodeA.getBean(ClusterConnections.class).applyToUser("nobody", ConnectionOperation.send("x")))
			.isEmpty();
	}

	@Test
	void aPrivateRoomIsDeniedToClientsByDefaultButNotToTheApplication() throws Exception {
		ChatRooms rooms = this.nodeA.getBean(ChatRooms.class);
		rooms.add("staff-room");
		try {
			for (String event : List.of("roomJoin", "roomView")) {
				JsonNode refused = this.bobOnB.request(
						"{\"event\":\"" + event + "\",\"room\":\"staff-room\",\"requestId\":\"" + event + "\"}", event);
				assertThat(refused.path("event").stringValue()).isEqualTo("error");
				assertThat(refused.path("error").stringValue()).isEqualTo("refused");
			}
			rooms.addMember(this.bobOnB.id(), "staff-room");
			assertThat(rooms.status("staff-room")).hasSize(1);
		}
		finally {
			rooms.destroy("staff-room");
		}
	}

	@Test
	void chatMiddlewareSeesTheUser() {
		ChatRooms rooms = this.nodeA.getBean(ChatRooms.class);
		rooms.add("users-only");
		try {
			rooms.addMember(this.bobOnB.id(), "users-only");
			assertThatExceptionOfType(ChatRefusedException.class)
				.isThrownBy(() -> rooms.addMember(this.anonymousOnA.id(), "users-only"));
		}
		finally {
			rooms.destroy("users-only");
		}
	}

}
