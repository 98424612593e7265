package dev.cohort.connections;

import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that connects with {@code batch=1} gets the frames that waited for it in one
 * WebSocket message, one per line, every frame once and in order; a client that does not
 * gets one frame per message, as before, from the same room at the same time.
 */
class FrameBatchesTests {

	private static final int SAYS = 3_000;

	private static final TestNodes nodes = TestNodes.local();

	private static ConfigurableApplicationContext node;

	@BeforeAll
	static void startNode() {
		node = nodes.startWeb();
	}

	@AfterAll
	static void stopNode() {
		nodes.close();
	}

	@Test
	void framesThatWaitGoOutTogetherToAClientThatTakesBatchesAndAloneToOneThatDoesNot() throws Exception {
		ChatRooms rooms = node.getBean(ChatRooms.class);
		rooms.add("batches");
		try (TestClient batching = TestClient.connectWithQuery(node, "batch=1");
				TestClient plain = TestClient.connect(node)) {
			batching.join("batches");
			plain.join("batches");
			for (int i = 0; i < SAYS; i++) {
				rooms.broadcast("batches", i);
			}
			await().until(() -> batching.events("say").size() == SAYS && plain.events("say").size() == SAYS);
			assertThat(sequence(batching)).isEqualTo(sequence(plain)).hasSize(SAYS).isSorted();
			// Every frame the plain client got came in a message of its own; the batching
			// client got the same frames in fewer messages.
			assertThat(plain.messages.get()).isEqualTo(plain.frames.size());
			assertThat(batching.messages.get()).isLessThan(batching.frames.size());
		}
	}

	private static List<Integer> sequence(TestClient client) {
		return client.events("say").stream().map((frame) -> frame.path("message")).map(JsonNode::asInt).toList();
	}

}
