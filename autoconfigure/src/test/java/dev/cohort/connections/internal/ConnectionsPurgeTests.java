package dev.cohort.connections.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeRole;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.redis.RedisMembershipStore;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purge of a node with many connections, on two live nodes that both see it leave and
 * purge it at once: bounded steps, and each member's leave heard once.
 */
class ConnectionsPurgeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int DEAD_CONNECTIONS = 250;

	private final TestNodes nodes = nodes();

	private ConfigurableApplicationContext nodeA;

	private ConfigurableApplicationContext nodeB;

	/**
	 * The nodes of a test, on the Redis the subclass chooses.
	 * @return the nodes
	 */
	TestNodes nodes() {
		return TestNodes.redis(RedisServer.shared());
	}

	@BeforeEach
	void startTwoNodes() {
		// The leave frames name the connections of the node that left.
		this.nodeA = this.nodes.startWeb("cluster.connections.show-connection-ids=true");
		this.nodeB = this.nodes.startWeb("cluster.connections.show-connection-ids=true");
		this.nodeA.getBean(ChatRooms.class).add("lobby");
		this.nodeA.getBean(ChatRooms.class).add("games");
	}

	@AfterEach
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void twoNodesPurgingADeadNodeTellEachOfItsMembershipsOnce() throws Exception {
		try (TestClient onA = TestClient.connect(this.nodeA); TestClient onB = TestClient.connect(this.nodeB)) {
			join(onA, "lobby");
			join(onB, "lobby");
			NodeInfo dead = joinAMemberThatNeverHeartbeatsAgain("dead-with-many");
			List<String> deadIds = registerInBothRooms(store(this.nodeA), dead.id(), DEAD_CONNECTIONS);
			assertThat(this.nodeA.getBean(ChatRooms.class).status("lobby")).hasSize(DEAD_CONNECTIONS + 2);
			for (TestClient client : List.of(onA, onB)) {
				await().atMost(TIMEOUT).until(() -> leftIds(client).size() >= DEAD_CONNECTIONS);
				// Time for a duplicate to arrive, if there were one.
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
				assertThat(leftIds(client)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(deadIds);
			}
			assertThat(this.nodeB.getBean(ChatRooms.class).status("lobby")).extracting(RoomMember::connectionId)
				.containsExactlyInAnyOrder(onA.id(), onB.id());
			assertThat(this.nodeB.getBean(ChatRooms.class).status("games")).isEmpty();
		}
	}

	@Test
	void purgingANodeWithManyConnectionsTakesSeveralBoundedSteps() {
		CountingStore store = new CountingStore(store(this.nodeA));
		registerInBothRooms(store, "dead-node", DEAD_CONNECTIONS);
		List<String> ended = new CopyOnWriteArrayList<>();
		ConnectionHub hub = new ConnectionHub("purger", store, this.nodeA.getBean(ClusterBus.class),
				this.nodeA.getBean(ClusterClock.class), JsonMapper.builder().build(), List.of()) {

			@Override
			public void membershipsEnded(String room, List<String> connectionIds) {
				connectionIds.forEach((id) -> ended.add(room + "/" + id));
			}

		};
		hub.purge("dead-node");
		assertThat(store.purgeLimits).hasSizeGreaterThanOrEqualTo(3)
			.allSatisfy((limit) -> assertThat(limit).isEqualTo(ConnectionHub.PURGE_BATCH));
		assertThat(ended).hasSize(2 * DEAD_CONNECTIONS).doesNotHaveDuplicates();
		assertThat(this.nodeA.getBean(ChatRooms.class).status("lobby")).isEmpty();
	}

	/**
	 * Registers a member in Redis, as a node that dies at once would, so that both nodes
	 * see it join and, after the node timeout, leave.
	 */
	private NodeInfo joinAMemberThatNeverHeartbeatsAgain(String id) {
		NodeInfo node = new NodeInfo(id, NodeRole.SERVER, "elsewhere", 1, Instant.now(), "test",
				UUID.randomUUID().toString());
		RedisMembershipStore membership = new RedisMembershipStore(
				new StringRedisTemplate(this.nodeA.getBean(RedisConnectionFactory.class)),
				this.nodeA.getBean(ClusterKeys.class));
		membership.heartbeat(node, Duration.ofSeconds(3));
		for (ConfigurableApplicationContext context : List.of(this.nodeA, this.nodeB)) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).isMember(id));
		}
		return node;
	}

	private static List<String> registerInBothRooms(ConnectionStore store, String nodeId, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = nodeId + "-connection-" + i;
			ids.add(id);
			store.register(id, nodeId);
			store.join("lobby", id, nodeId, i);
			store.join("games", id, nodeId, i);
		}
		return ids;
	}

	private static List<String> leftIds(TestClient client) {
		return client.events("leave")
			.stream()
			.filter((frame) -> frame.path("room").stringValue("").equals("lobby"))
			.map((frame) -> frame.path("connectionId").stringValue(""))
			.toList();
	}

	private static ConnectionStore store(ConfigurableApplicationContext context) {
		return context.getBean(ConnectionStore.class);
	}

	private static void join(TestClient client, String room) throws Exception {
		String requestId = "join-" + room;
		JsonNode joined = client.request(
				"{\"event\":\"roomJoin\",\"room\":\"" + room + "\",\"requestId\":\"" + requestId + "\"}", requestId);
		assertThat(joined.path("event").stringValue()).isEqualTo("response");
	}

	/**
	 * The directory of a node, counting the purge steps it is asked for.
	 */
	static final class CountingStore implements ConnectionStore {

		final List<Integer> purgeLimits = new CopyOnWriteArrayList<>();

		private final ConnectionStore store;

		CountingStore(ConnectionStore store) {
			this.store = store;
		}

		@Override
		public Forgotten purgeNode(String nodeId, int limit) {
			this.purgeLimits.add(limit);
			return this.store.purgeNode(nodeId, limit);
		}

		@Override
		public void register(String connectionId, String nodeId, @Nullable String user) {
			this.store.register(connectionId, nodeId, user);
		}

		@Override
		public Map<String, String> connectionsOfUser(String user) {
			return this.store.connectionsOfUser(user);
		}

		@Override
		public long connectionCount(String nodeId) {
			return this.store.connectionCount(nodeId);
		}

		@Override
		public Map<String, Long> roomSizes() {
			return this.store.roomSizes();
		}

		@Override
		public Forgotten forget(String nodeId, Collection<String> connectionIds) {
			return this.store.forget(nodeId, connectionIds);
		}

		@Override
		public Optional<String> nodeOf(String connectionId) {
			return this.store.nodeOf(connectionId);
		}

		@Override
		public boolean addRoom(String room) {
			return this.store.addRoom(room);
		}

		@Override
		public List<String> destroyRoom(String room) {
			return this.store.destroyRoom(room);
		}

		@Override
		public boolean roomExists(String room) {
			return this.store.roomExists(room);
		}

		@Override
		public List<String> rooms() {
			return this.store.rooms();
		}

		@Override
		public int join(String room, String connectionId, String nodeId, long joinedAtMillis) {
			return this.store.join(room, connectionId, nodeId, joinedAtMillis);
		}

		@Override
		public boolean leave(String room, String connectionId) {
			return this.store.leave(room, connectionId);
		}

		@Override
		public @Nullable Map<String, Member> members(String room) {
			return this.store.members(room);
		}

		@Override
		public Summary summary(String nodeId, String newEpoch) {
			return this.store.summary(nodeId, newEpoch);
		}

		@Override
		public Reassertion reassert(String nodeId, List<Held> connections, boolean recreateRooms, long joinedAtMillis) {
			return this.store.reassert(nodeId, connections, recreateRooms, joinedAtMillis);
		}

		@Override
		public void connectionsOf(String nodeId, int batchSize, Consumer<List<String>> batches) {
			this.store.connectionsOf(nodeId, batchSize, batches);
		}

		@Override
		public void setFingerprint(String nodeId, int fingerprint) {
			this.store.setFingerprint(nodeId, fingerprint);
		}

	}

}
