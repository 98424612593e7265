package dev.cohort.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.chat.ChatRooms;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What anonymous WebSocket clients send is read with a plain mapper of Cohort's own, not
 * with the application's: even when the application's mapper has default typing on, a
 * client cannot choose the classes a node builds.
 */
class ClientInputJsonTests {

	@Test
	void aSayThatNamesAClassBuildsNoObjectEvenWithTheApplicationsDefaultTyping() throws Exception {
		try (TestNodes nodes = TestNodes.redis(RedisServer.shared())) {
			nodes.common().put("spring.main.sources", DefaultTypingJson.class.getName());
			ConfigurableApplicationContext nodeA = nodes.startWeb();
			ConfigurableApplicationContext nodeB = nodes.startWeb();
			assertThat(nodeA.getBean(JsonMapper.class)).isSameAs(nodeA.getBean(DefaultTypingJson.class).mapper);
			nodeA.getBean(ChatRooms.class).add("lobby");
			int timersBefore = timerThreads();
			try (TestClient sender = TestClient.connect(nodeA); TestClient listener = TestClient.connect(nodeB)) {
				sender.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"1\"}", "1");
				listener.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"2\"}", "2");
				String gadget = "[\"" + Gadget.class.getName() + "\",{\"name\":\"built\"}]";
				String timer = "[\"java.util.Timer\",{}]";
				String asProperty = "{\"@class\":\"" + Gadget.class.getName() + "\",\"name\":\"built\"}";
				List<JsonNode> answers = new ArrayList<>();
				for (String message : new String[] { gadget, timer, asProperty }) {
					String requestId = "say-" + System.nanoTime();
					answers.add(sender.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":" + message
							+ ",\"requestId\":\"" + requestId + "\"}", requestId));
				}
				assertThat(Gadget.built).hasValue(0);
				assertThat(timerThreads()).isEqualTo(timersBefore);
				assertThat(answers).extracting((answer) -> answer.path("event").stringValue()).containsOnly("response");
				for (TestClient client : new TestClient[] { sender, listener }) {
					org.awaitility.Awaitility.await()
						.atMost(Duration.ofSeconds(20))
						.until(() -> client.events("say").size() == 3);
					assertThat(client.events("say")).extracting((say) -> say.path("message").toString())
						.containsExactly(gadget, timer, asProperty);
				}
			}
			assertThat(Gadget.built).hasValue(0);
			assertThat(timerThreads()).isEqualTo(timersBefore);
		}
	}

	private static int timerThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("Timer-"))
			.count();
	}

	/**
	 * An application mapper with default typing on for every non-final type, whatever the
	 * subtype: a dangerous set-up, which must not reach the clients' input.
	 */
	@Configuration(proxyBeanMethods = false)
	static class DefaultTypingJson {

		final JsonMapper mapper = JsonMapper.builder()
			.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfSubType(Object.class).build(),
					DefaultTyping.NON_FINAL)
			.build();

		@Bean
		JsonMapper jsonMapper() {
			return this.mapper;
		}

	}

	/**
	 * A class a client must not be able to have built.
	 */
	public static class Gadget {

		static final AtomicInteger built = new AtomicInteger();

		private String name;

		public Gadget() {
			built.incrementAndGet();
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

}
