package dev.cohort.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.cohort.sample.announcements.ReceivedAnnouncement;
import dev.cohort.sample.cluster.ClusterView;
import dev.cohort.sample.cluster.NodeView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with its default configuration: a solitary node on the local transport.
 * Redis points at a closed port, which proves that nothing uses it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.data.redis.port=1")
class SampleApplicationTests {

	private static final ParameterizedTypeReference<List<ReceivedAnnouncement>> RECEIVED = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	private RestClient http;

	@BeforeEach
	void createClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void clusterListsThisNodeAsTheOnlyMember() {
		ClusterView cluster = this.http.get().uri("/cluster").retrieve().body(ClusterView.class);
		assertThat(cluster).isNotNull();
		NodeView self = cluster.self();
		assertThat(self.id()).startsWith("cohort-sample-all-");
		assertThat(self.role()).isEqualTo("all");
		assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(cluster.members()).extracting(NodeView::id).containsExactly(self.id());
	}

	@Test
	void announcementIsReceivedByTheSolitaryNode() {
		ClusterView cluster = this.http.get().uri("/cluster").retrieve().body(ClusterView.class);
		HttpStatusCode status = this.http.post()
			.uri("/announcements")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "hello from the test"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(status).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.get().uri("/announcements").retrieve().body(RECEIVED))
				.anySatisfy((received) -> {
					assertThat(received.text()).isEqualTo("hello from the test");
					assertThat(received.from()).isEqualTo(cluster.self().id());
					assertThat(received.origin()).isEqualTo(cluster.self().id());
					assertThat(received.target()).isEqualTo("*");
				}));
	}

	@Test
	void announcementToThisNodeById() {
		ClusterView cluster = this.http.get().uri("/cluster").retrieve().body(ClusterView.class);
		String self = cluster.self().id();
		HttpStatusCode status = this.http.post()
			.uri("/announcements/{nodeId}", self)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "just for me", "from", "tester"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(status).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.get().uri("/announcements").retrieve().body(RECEIVED))
				.anySatisfy((received) -> {
					assertThat(received.text()).isEqualTo("just for me");
					assertThat(received.from()).isEqualTo("tester");
					assertThat(received.target()).isEqualTo(self);
				}));
	}

	@Test
	void announcementToUnknownNodeIsNotFound() {
		HttpStatusCode status = this.http.post()
			.uri("/announcements/{nodeId}", "no-such-node")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "lost"))
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void announcementWithoutTextIsBadRequest() {
		HttpStatusCode status = this.http.post()
			.uri("/announcements")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("from", "tester"))
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void healthIsUpWithoutRedis() {
		String health = this.http.get().uri("/actuator/health").retrieve().body(String.class);
		assertThat(health).contains("\"status\":\"UP\"");
	}

}
