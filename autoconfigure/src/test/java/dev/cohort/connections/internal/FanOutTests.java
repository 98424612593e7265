package dev.cohort.connections.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomOptions;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.internal.LateJoinTests.RecordingChannel;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a room event reaches the members: its frame built once on each node, sent to the
 * other nodes before this node's members are served, and, in a room with presence off,
 * joins and leaves heard only by the connection that joins or leaves. Two nodes on Redis.
 */
class FanOutTests {

	private static TestNodes nodes;

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		nodes = TestNodes.redis(RedisServer.shared());
		nodeA = nodes.start();
		nodeB = nodes.start();
	}

	@AfterAll
	static void stopNodes() {
		nodes.close();
	}

	@Test
	void aSayFrameIsBuiltOnceOnEachNodeForAllItsMembers() {
		nodeA.getBean(ChatRooms.class).add("once");
		List<RecordingChannel> onA = joined(nodeA, "once", 3);
		List<RecordingChannel> onB = joined(nodeB, "once", 2);
		ConnectionHub hubA = nodeA.getBean(ConnectionHub.class);
		LocalConnection sender = hubA.local(connectionId(onA.get(0)));
		assertThat(sender).isNotNull();
		hubA.say(sender, "once", ClientJson.MAPPER.readTree("{\"text\":\"hello\"}"));
		await().untilAsserted(() -> assertThat(onA).allSatisfy((channel) -> assertThat(says(channel)).hasSize(1)));
		await().untilAsserted(() -> assertThat(onB).allSatisfy((channel) -> assertThat(says(channel)).hasSize(1)));
		// The very same String for every member of a node: built once, not per member;
		// only the sender gets a frame of its own, with its own id.
		String shared = says(onA.get(1)).get(0);
		assertThat(onA.subList(1, 3)).allSatisfy((channel) -> assertThat(says(channel).get(0)).isSameAs(shared));
		assertThat(onB).allSatisfy((channel) -> assertThat(says(channel).get(0)).isSameAs(says(onB.get(0)).get(0)));
		assertThat(says(onB.get(0)).get(0)).isEqualTo(shared).doesNotContain(sender.id());
		assertThat(says(onA.get(0)).get(0)).contains("\"from\":\"" + sender.id() + "\"");
	}

	@Test
	void aRoomEventOfANodeFromBeforeUsersTravelledWithEventsHasNoUser() {
		ConnectionHub.RoomEvent event = ClientJson.MAPPER
			.readValue("{\"type\":\"say\",\"room\":\"lobby\",\"connectionId\":\"c1\",\"message\":\"hi\","
					+ "\"sentAt\":1,\"presence\":true}", ConnectionHub.RoomEvent.class);
		assertThat(event.user()).isNull();
		assertThat(event.connectionId()).isEqualTo("c1");
		ConnectionHub.RoomEvent withUser = ConnectionHub.RoomEvent.say("lobby", "c1", "alice",
				ClientJson.MAPPER.readTree("\"hi\""), 1);
		assertThat(ClientJson.MAPPER.readValue(ClientJson.MAPPER.writeValueAsString(withUser),
				ConnectionHub.RoomEvent.class))
			.isEqualTo(withUser);
	}

	@Test
	void theOtherNodesAreSentAnEventBeforeThisNodesMembersAreServed() {
		nodeA.getBean(ChatRooms.class).add("first");
		List<RecordingChannel> onB = joined(nodeB, "first", 1);
		List<String> steps = new CopyOnWriteArrayList<>();
		ConnectionHub hub = new ConnectionHub("ordering", nodeA.getBean(ConnectionStore.class),
				nodeA.getBean(ClusterBus.class), nodeA.getBean(ClusterClock.class), JsonMapper.builder().build(),
				List.of()) {

			@Override
			void published(RoomEvent event) {
				steps.add("published " + event.type());
			}

		};
		LocalConnection connection = hub.open(new RecordingChannel() {

			@Override
			public void send(String frame) {
				// Only the frames about its own connection carry an id: the join of node
				// B's member may reach this connection any time.
				JsonNode json = ClientJson.MAPPER.readTree(frame);
				boolean own = json.has("connectionId") || json.has("from");
				steps.add("served " + json.get("event").asString() + (own ? "" : " of another"));
			}

		}, "127.0.0.1:1", null);
		hub.join(connection, "first");
		hub.say(connection, "first", ClientJson.MAPPER.readTree("{\"text\":\"hello\"}"));
		// The bus may bring the node's own events back later; the first of each counts.
		assertThat(steps.indexOf("published join")).isNotNegative().isLessThan(steps.indexOf("served join"));
		assertThat(steps.indexOf("published say")).isNotNegative().isLessThan(steps.indexOf("served say"));
		await().untilAsserted(() -> assertThat(says(onB.get(0))).hasSize(1));
		hub.closed(connection);
	}

	@Test
	void inARoomWithPresenceOffOnlyTheConnectionThatJoinsOrLeavesHearsOfItWhileMessagesFlow() {
		ChatRooms rooms = nodeA.getBean(ChatRooms.class);
		assertThat(rooms.add("quiet", RoomOptions.DEFAULTS.withPresence(false))).isTrue();
		List<RecordingChannel> onA = joined(nodeA, "quiet", 2);
		List<RecordingChannel> onB = joined(nodeB, "quiet", 2);
		assertThat(rooms.status("quiet")).hasSize(4);
		ConnectionHub hubA = nodeA.getBean(ConnectionHub.class);
		LocalConnection leaver = hubA.local(connectionId(onA.get(1)));
		assertThat(leaver).isNotNull();
		hubA.leave(leaver, "quiet");
		LocalConnection sender = nodeB.getBean(ConnectionHub.class).local(connectionId(onB.get(0)));
		assertThat(sender).isNotNull();
		nodeB.getBean(ConnectionHub.class).say(sender, "quiet", ClientJson.MAPPER.readTree("{\"text\":\"hello\"}"));
		List<RecordingChannel> stayed = List.of(onA.get(0), onB.get(0), onB.get(1));
		await().untilAsserted(() -> assertThat(stayed).allSatisfy((channel) -> assertThat(says(channel)).hasSize(1)));
		// The say went after the leave, from another node, so any join or leave frame for
		// the others would have come before it.
		for (RecordingChannel channel : stayed) {
			assertThat(events(channel, "join")).containsExactly(connectionId(channel));
			assertThat(events(channel, "leave")).isEmpty();
		}
		assertThat(events(onA.get(1), "join")).containsExactly(connectionId(onA.get(1)));
		assertThat(events(onA.get(1), "leave")).containsExactly(connectionId(onA.get(1)));
		assertThat(says(onA.get(1))).isEmpty();
		rooms.destroy("quiet");
		await().untilAsserted(() -> assertThat(stayed)
			.allSatisfy((channel) -> assertThat(events(channel, "leave")).containsExactly(connectionId(channel))));
	}

	/**
	 * Opens connections on a node and joins them to a room, one after the other, through
	 * the node's own hub.
	 */
	private static List<RecordingChannel> joined(ConfigurableApplicationContext node, String room, int count) {
		ConnectionHub hub = node.getBean(ConnectionHub.class);
		List<RecordingChannel> channels = new CopyOnWriteArrayList<>();
		for (int i = 0; i < count; i++) {
			RecordingChannel channel = new RecordingChannel();
			LocalConnection connection = hub.open(channel, "127.0.0.1:" + (i + 1), null);
			hub.apply(connection, ConnectionOperation.join(room));
			channels.add(channel);
		}
		return channels;
	}

	private static String connectionId(RecordingChannel channel) {
		return ClientJson.MAPPER.readTree(channel.frames.get(0)).get("connectionId").asString();
	}

	private static List<String> says(RecordingChannel channel) {
		return channel.frames.stream().filter((frame) -> frame.startsWith("{\"event\":\"say\"")).toList();
	}

	private static List<String> events(RecordingChannel channel, String event) {
		return channel.frames.stream()
			.map(ClientJson.MAPPER::readTree)
			.filter((frame) -> frame.get("event").asString().equals(event))
			.map((frame) -> frame.get("connectionId").asString())
			.toList();
	}

}
