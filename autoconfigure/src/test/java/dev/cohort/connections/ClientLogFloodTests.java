package dev.cohort.connections;

import java.util.Map;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRooms;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that floods a node with frames that fail, or that carry text meant to forge
 * log lines, leaves a few sanitised lines in the log, not one per frame.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientLogFloodTests {

	private static final int FLOOD = 100;

	private static final String FORGED = "FORGED-LINE";

	@Test
	void floodsOfFailingOrForgingFramesLeaveFewSanitisedLines(CapturedOutput output) throws Exception {
		try (TestNodes nodes = TestNodes.local()) {
			ConfigurableApplicationContext node = nodes
				.startWeb("spring.main.sources=" + FailingMiddleware.class.getName(), "cluster.messages.max-size=4KB");
			ChatRooms rooms = node.getBean(ChatRooms.class);
			rooms.add("lobby");
			rooms.add("boom");
			rooms.add("deliver-boom");
			try (TestClient client = TestClient.connect(node)) {
				for (String room : new String[] { "lobby", "boom", "deliver-boom" }) {
					client.request("{\"event\":\"roomJoin\",\"room\":\"" + room + "\",\"requestId\":\"" + room + "\"}",
							room);
				}
				int before = output.getAll().length();
				String forging = "dance\\n" + FORGED + " ERROR the node is on fire\\r\\n" + FORGED + " "
						+ "x".repeat(3_000);
				String tooBigForTheBus = "y".repeat(6_000);
				for (int i = 0; i < FLOOD; i++) {
					client.send("{\"event\":\"" + forging + "\",\"requestId\":\"u" + i + "\"}");
					client.send("{\"event\":\"say\",\"room\":\"boom\",\"message\":\"m\",\"requestId\":\"f" + i + "\"}");
					client.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"" + tooBigForTheBus
							+ "\",\"requestId\":\"p" + i + "\"}");
					client.request("{\"event\":\"say\",\"room\":\"deliver-boom\",\"message\":\"m\",\"requestId\":\"d"
							+ i + "\"}", "d" + i);
				}
				JsonNode unknown = client.await((frame) -> frame.path("requestId").stringValue("").equals("u0"));
				assertThat(unknown.path("error").stringValue()).isEqualTo("unknown-event");
				assertThat(unknown.path("message").stringValue()).doesNotContain("\n", "\r").hasSizeLessThan(200);
				assertThat(unknown.path("request").stringValue()).doesNotContain("\n", "\r").hasSizeLessThan(100);

				String log = output.getAll().substring(before);
				assertThat(log.lines().filter((line) -> line.startsWith(FORGED))).isEmpty();
				assertThat(count(log, "(unknown-event)")).isBetween(1L, 3L);
				assertThat(count(log, "Request 'say' of connection")).isBetween(1L, 3L);
				assertThat(count(log, "java.lang.IllegalStateException: say boom")).isBetween(1L, 3L);
				assertThat(count(log, "Could not send a 'say' event")).isBetween(1L, 3L);
				assertThat(count(log, "A chat middleware failed delivering")).isBetween(1L, 3L);
				assertThat(count(log, "java.lang.IllegalStateException: deliver boom")).isBetween(1L, 3L);
				assertThat(log.lines().count()).isLessThan(300);
			}
		}
	}

	private static long count(String log, String text) {
		return log.lines().filter((line) -> line.contains(text)).count();
	}

	/**
	 * Middleware that fails: {@code say} in room {@code boom}, {@code deliver} in room
	 * {@code deliver-boom}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailingMiddleware {

		@Bean
		ChatMiddleware failingMiddleware() {
			return new ChatMiddleware() {

				@Override
				public Object say(String connectionId, Map<String, Object> attributes, String room, Object message) {
					if (room.equals("boom")) {
						throw new IllegalStateException("say boom");
					}
					return message;
				}

				@Override
				public @Nullable Object deliver(String recipientId, String room, @Nullable String from,
						Object message) {
					if (room.equals("deliver-boom")) {
						throw new IllegalStateException("deliver boom");
					}
					return message;
				}

			};
		}

	}

}
