package dev.cohort.sample;

import dev.cohort.cluster.ClusterNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code /actuator/cluster}: exposed, but only to the demo user, and its
 * writes only with a CSRF token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.data.redis.port=1")
class SampleClusterEndpointTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ClusterNodes nodes;

	private RestClient http;

	@BeforeEach
	void createClient() {
		this.http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	@Test
	void theEndpointRefusesAnAnonymousCaller() {
		ResponseEntity<String> response = this.http.get().uri("/actuator/cluster").retrieve().toEntity(String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(String.valueOf(response.getBody())).doesNotContain(this.nodes.self().id());
	}

	@Test
	void theDemoUserReadsTheWholeCluster() {
		ResponseEntity<String> response = this.http.get()
			.uri("/actuator/cluster")
			.headers((headers) -> headers.setBasicAuth("admin", "admin"))
			.retrieve()
			.toEntity(String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).contains("\"nodes\"")
			.contains("\"id\":\"" + this.nodes.self().id() + "\"")
			.contains("\"queues\"")
			.contains("\"recurring\"")
			.contains("\"task\":\"heartbeat-report\"");
	}

	@Test
	void aWriteWithoutACsrfTokenIsRefusedEvenForTheDemoUser() {
		ResponseEntity<String> response = this.http.delete()
			.uri("/actuator/cluster/locks/report")
			.headers((headers) -> headers.setBasicAuth("admin", "admin"))
			.retrieve()
			.toEntity(String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		ResponseEntity<String> post = this.http.post()
			.uri("/actuator/cluster/queues/default/retry")
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.setBasicAuth("admin", "admin"))
			.retrieve()
			.toEntity(String.class);
		assertThat(post.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
	}

}
