package dev.cohort.connections.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.chat.ChatRooms;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.rpc.UnknownConnectionException;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A join that reaches a connection's node after the connection closed, as an RPC call
 * from another node that found it just before it closed would: it must not leave a member
 * behind that nothing removes. On both transports.
 */
class LateJoinTests {

	@Test
	void aJoinAfterTheConnectionClosedIsRefusedOnRedis() {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			assertALateJoinIsRefused(nodes.start());
		}
	}

	@Test
	void aJoinAfterTheConnectionClosedIsRefusedOnTheLocalTransport() {
		try (TestNodes nodes = TestNodes.local()) {
			assertALateJoinIsRefused(nodes.start());
		}
	}

	@Test
	void aMembershipItsNodeHadNotRecordedGoesWhenTheConnectionClosesOnRedis() {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			assertClosingRemovesEveryMembershipOfTheDirectory(nodes.start());
		}
	}

	@Test
	void aMembershipItsNodeHadNotRecordedGoesWhenTheConnectionClosesOnTheLocalTransport() {
		try (TestNodes nodes = TestNodes.local()) {
			assertClosingRemovesEveryMembershipOfTheDirectory(nodes.start());
		}
	}

	/**
	 * A join that the directory took, but whose connection closed before its node
	 * recorded it: closing takes the connection out of every room the directory has.
	 */
	private static void assertClosingRemovesEveryMembershipOfTheDirectory(ConfigurableApplicationContext node) {
		ConnectionHub hub = node.getBean(ConnectionHub.class);
		ChatRooms rooms = node.getBean(ChatRooms.class);
		rooms.add("lobby");
		rooms.add("games");
		LocalConnection connection = hub.open(new RecordingChannel(), "127.0.0.1:1", null);
		hub.apply(connection, ConnectionOperation.join("lobby"));
		node.getBean(ConnectionStore.class).join("games", connection.id(), hub.nodeId(), 1);
		hub.closed(connection);
		assertThat(rooms.status("lobby")).isEmpty();
		assertThat(rooms.status("games")).isEmpty();
	}

	private static void assertALateJoinIsRefused(ConfigurableApplicationContext node) {
		ConnectionHub hub = node.getBean(ConnectionHub.class);
		ChatRooms rooms = node.getBean(ChatRooms.class);
		rooms.add("lobby");
		LocalConnection connection = hub.open(new RecordingChannel(), "127.0.0.1:1", null);
		// The RPC call found the connection here, then the connection closed...
		hub.closed(connection);
		// ...and the call goes on.
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> hub.apply(connection, ConnectionOperation.join("lobby")));
		assertThat(rooms.status("lobby")).isEmpty();
	}

	/**
	 * A client that keeps what it is sent.
	 */
	static class RecordingChannel implements ClientChannel {

		final List<String> frames = new CopyOnWriteArrayList<>();

		@Override
		public void send(String frame) {
			this.frames.add(frame);
		}

		@Override
		public void close(String reason) {
		}

	}

}
