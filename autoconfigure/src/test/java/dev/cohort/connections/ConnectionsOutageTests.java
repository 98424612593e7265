package dev.cohort.connections;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.cohort.chat.ChatRooms;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that stops answering (paused, as a hung server or a partition) while WebSocket
 * clients connect and send requests: the web server's own threads only hand the work
 * over, so that the node's other HTTP endpoints keep answering.
 */
class ConnectionsOutageTests {

	private final RedisServer redis = RedisServer.start();

	private final TestNodes nodes = TestNodes.redis(this.redis);

	private final List<TestClient> clients = new CopyOnWriteArrayList<>();

	private final ExecutorService connecting = Executors.newFixedThreadPool(4);

	@AfterEach
	void stopAll() throws Exception {
		this.redis.resume();
		this.connecting.shutdownNow();
		this.connecting.awaitTermination(30, TimeUnit.SECONDS);
		for (TestClient client : this.clients) {
			client.close();
		}
		this.nodes.close();
		this.redis.close();
	}

	@Test
	void whileRedisHangsClientsCannotStallTheWebServerAndWorkAgainAfterwards() throws Exception {
		ConfigurableApplicationContext node = this.nodes.startWeb("server.tomcat.threads.max=4",
				"server.tomcat.threads.min-spare=1", "spring.data.redis.timeout=2s");
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		node.getBean(ChatRooms.class).add("lobby");
		List<TestClient> connected = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			TestClient client = TestClient.connect(port);
			this.clients.add(client);
			connected.add(client);
		}
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		assertThat(get(http, port).statusCode()).isEqualTo(200);

		this.redis.pause();
		List<TestClient> opened = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 12; i++) {
			CompletableFuture.runAsync(() -> {
				try {
					TestClient client = TestClient.open(port);
					this.clients.add(client);
					opened.add(client);
				}
				catch (Exception ex) {
					// A handshake that fails shows in what the node holds, not here.
				}
			}, this.connecting);
		}
		for (TestClient client : connected) {
			for (int i = 0; i < 5; i++) {
				client.send("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"j" + i + "\"}");
				client.send("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"hi\",\"requestId\":\"s" + i + "\"}");
			}
		}
		// The web server's threads are free: another endpoint answers at once.
		assertAnswersPromptly(http, port);
		// Once a call timed out, requests that need Redis are refused at once, and new
		// connections are closed with 1011 (try again later).
		await().atMost(Duration.ofSeconds(60))
			.until(() -> connected.stream()
				.allMatch((client) -> client.frames.stream().filter((frame) -> frame.has("requestId")).count() == 10));
		assertThat(connected.stream().flatMap((client) -> client.events("error").stream()))
			.extracting((error) -> error.path("error").stringValue())
			.contains("unavailable")
			.containsAnyOf("unavailable", "busy");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(opened).extracting(TestClient::closeStatus)
				.contains(CloseStatus.SERVER_ERROR.withReason("the cluster is unavailable, try again later")));
		assertAnswersPromptly(http, port);

		this.redis.resume();
		// As clients do, connect again until the node lets it in.
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			try (TestClient fresh = TestClient.connect(port)) {
				assertThat(fresh
					.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"after-join\"}", "after-join")
					.path("event")
					.stringValue()).isEqualTo("response");
				assertThat(fresh
					.request("{\"event\":\"say\",\"room\":\"lobby\",\"message\":\"back\",\"requestId\":\"after-say\"}",
							"after-say")
					.path("event")
					.stringValue()).isEqualTo("response");
			}
		});
		TestClient survivor = connected.get(0);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			String id = "again-" + System.nanoTime();
			assertThat(survivor.request("{\"event\":\"roomJoin\",\"room\":\"lobby\",\"requestId\":\"" + id + "\"}", id)
				.path("event")
				.stringValue()).isEqualTo("response");
		});
	}

	private static void assertAnswersPromptly(HttpClient http, int port) throws Exception {
		long started = System.nanoTime();
		assertThat(get(http, port).statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	private static HttpResponse<String> get(HttpClient http, int port) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/cohort/cohort-client.js"))
			.timeout(Duration.ofSeconds(5))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
