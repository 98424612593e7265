package dev.cohort.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three server nodes with WebSocket clients in rooms, on a Redis of their own that the
 * tests pause, or kill and restart empty: an outage longer than the node timeout loses no
 * member, no node and no room.
 */
class DirectoryOutageTests {

	/** Generous, as the machine may be busy. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Well over the node timeout TestNodes sets (1.5 s). */
	private static final Duration OUTAGE = Duration.ofSeconds(4);

	private static RedisServer redis;

	private TestNodes nodes;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<TestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	/**
	 * Three nodes, two clients on each, of users {@code member-0} to {@code member-5};
	 * every client in {@code lobby}, the first client of each node also in {@code games}.
	 */
	@BeforeEach
	void startThreeNodesWithClientsInRooms() throws Exception {
		this.nodes = TestNodes.redis(redis);
		for (int i = 0; i < 3; i++) {
			this.contexts.add(this.nodes.startWeb());
		}
		ChatRooms rooms = rooms(0);
		rooms.add("lobby");
		rooms.add("games");
		for (ConfigurableApplicationContext context : this.contexts) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == 3);
			for (int i = 0; i < 2; i++) {
				// Each client its own user, as the handshake authenticated it.
				TestClient client = TestClient.connectAs(context, "member-" + this.clients.size());
				this.clients.add(client);
				join(client, "lobby");
				if (i == 0) {
					join(client, "games");
				}
			}
		}
		assertThat(rooms.status("lobby")).hasSize(6);
		assertThat(rooms.status("games")).hasSize(3);
	}

	@AfterEach
	void closeAll() throws Exception {
		redis.resume();
		for (TestClient client : this.clients) {
			client.close();
		}
		this.nodes.close();
	}

	@Test
	void redisPausedForLongerThanTheNodeTimeoutLosesNoMemberAndNoNode() throws Exception {
		redis.pause();
		try {
			waitOut(OUTAGE);
		}
		finally {
			redis.resume();
		}
		// Every node has heartbeated since, and more than a node timeout has passed:
		// long enough for a node that saw the others missing to have purged them.
		awaitHeartbeatsAndGrace();
		assertEveryMemberIsListedAndHearsTheOthers("after a pause");
		for (ConfigurableApplicationContext context : this.contexts) {
			assertThat(context.getBean(Recorder.class).left).isEmpty();
			assertThat(context.getBean(ClusterNodes.class).members()).hasSize(3);
		}
		for (TestClient client : this.clients) {
			assertThat(client.events("leave")).isEmpty();
		}
	}

	@Test
	void redisRestartedEmptyGetsEveryNodesConnectionsRoomsAndMembersBack() throws Exception {
		redis.kill();
		redis.restart();
		for (ConfigurableApplicationContext context : this.contexts) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == 3);
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(rooms(1).list()).containsExactlyInAnyOrder("lobby", "games"));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(rooms(1).status("lobby")).hasSize(6);
			assertThat(rooms(2).status("games")).hasSize(3);
		});
		assertEveryMemberIsListedAndHearsTheOthers("after a restart");
		// The directory knows every connection again, so other nodes reach them.
		ClusterConnections fromFirst = this.contexts.get(0).getBean(ClusterConnections.class);
		TestClient onLast = this.clients.get(this.clients.size() - 1);
		fromFirst.apply(onLast.id(), ConnectionOperation.join("games"));
		assertThat(rooms(0).status("games")).hasSize(4);
		// And lists each under its user again: the user index came back with the rest.
		for (int i = 0; i < this.clients.size(); i++) {
			assertThat(fromFirst.connectionsOf("member-" + i)).extracting(ConnectionInfo::connectionId)
				.containsExactly(this.clients.get(i).id());
		}
		assertThat(rooms(2).status("lobby")).extracting(RoomMember::user).contains("member-0", "member-5");
		for (ConfigurableApplicationContext context : this.contexts) {
			assertThat(context.getBean(Recorder.class).left).isEmpty();
		}
	}

	/**
	 * Waits until every node has heartbeated well after the outage, and a node timeout
	 * more has passed.
	 */
	private void awaitHeartbeatsAndGrace() {
		waitOut(Duration.ofSeconds(3));
		for (ConfigurableApplicationContext context : this.contexts) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == 3);
		}
	}

	private void assertEveryMemberIsListedAndHearsTheOthers(String when) throws Exception {
		List<String> ids = this.clients.stream().map(TestClient::id).toList();
		for (int i = 0; i < 3; i++) {
			assertThat(rooms(i).status("lobby")).extracting(RoomMember::connectionId)
				.containsExactlyInAnyOrderElementsOf(ids);
		}
		TestClient speaker = this.clients.get(0);
		String text = "hello " + when;
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			// Pub/sub does not store messages: one sent while a node resubscribes is
			// lost by design, so say it again until everyone has heard it.
			speaker.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"" + text + "\"}");
			for (TestClient client : this.clients) {
				assertThat(client.events("say")).extracting((frame) -> frame.path("message").stringValue(""))
					.contains(text);
			}
		});
	}

	private ChatRooms rooms(int node) {
		return this.contexts.get(node).getBean(ChatRooms.class);
	}

	private static void join(TestClient client, String room) throws Exception {
		assertThat(client.joinRoom(room).path("event").stringValue()).isEqualTo("response");
	}

	/**
	 * Lets time pass: the outage itself, or time for the nodes to act on it. Nothing to
	 * wait for can be observed from outside.
	 */
	private static void waitOut(Duration duration) {
		await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
	}

}
