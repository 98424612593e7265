package dev.cohort.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.rpc.UnknownConnectionException;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.SilentClient;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Clients that join a room and never read what they are sent, while a client of another
 * node says large messages there: the node that holds them keeps handling every other
 * message, and lets the silent clients go.
 */
class SlowClientsTests {

	private static final int SILENT_CLIENTS = 6;

	private static final int SAYS = 300;

	@Test
	void clientsThatNeverReadCannotSilenceTheirNode() throws Exception {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			// A short handler queue, so that a few seconds of blocked handler threads
			// would show as dropped messages.
			nodes.common().put("cluster.pubsub.queue-capacity", 100);
			ConfigurableApplicationContext nodeA = nodes.startWeb();
			ConfigurableApplicationContext nodeB = nodes.startWeb();
			ChatRooms rooms = nodeA.getBean(ChatRooms.class);
			rooms.add("lobby");
			int portA = ((WebServerApplicationContext) nodeA).getWebServer().getPort();
			List<SilentClient> silent = new ArrayList<>();
			try (TestClient talker = TestClient.connect(nodeB)) {
				for (int i = 0; i < SILENT_CLIENTS; i++) {
					SilentClient client = SilentClient.connect(portA);
					silent.add(client);
					client.send("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"j\"}");
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> rooms.status("lobby").size() == SILENT_CLIENTS);
				talker.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"t\"}", "t");

				String large = "x".repeat(40_000);
				ClusterPubSub pubSub = nodeB.getBean(ClusterPubSub.class);
				for (int i = 0; i < SAYS; i++) {
					JsonNode said = talker.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"" + large
							+ "\",\"requestId\":\"s" + i + "\"}", "s" + i);
					assertThat(said.path("event").stringValue()).isEqualTo("response");
					pubSub.publish("greeting", new Greeting("while saying", i));
				}

				Recorder recorder = nodeA.getBean(Recorder.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> recorder.greetings.size() == SAYS);
				Counter dropped = nodeA.getBean(MeterRegistry.class).find("cohort.messages.dropped").counter();
				assertThat((dropped != null) ? dropped.count() : 0).isZero();

				ClusterConnections connections = nodeA.getBean(ClusterConnections.class);
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId)
						.containsExactly(talker.id()));
				for (SilentClient client : silent) {
					assertThatExceptionOfType(UnknownConnectionException.class)
						.isThrownBy(() -> connections.apply(client.id()));
				}
				Counter tooSlow = nodeA.getBean(MeterRegistry.class)
					.find("cohort.connections.closed")
					.tag("reason", "too-slow")
					.counter();
				assertThat(tooSlow).isNotNull();
				assertThat(tooSlow.count()).isEqualTo(SILENT_CLIENTS);
			}
			finally {
				for (SilentClient client : silent) {
					client.close();
				}
			}
		}
	}

}
