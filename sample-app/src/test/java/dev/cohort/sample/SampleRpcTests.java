package dev.cohort.sample;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ClusterRpcMethod;
import dev.cohort.sample.rpc.ClusterStatus;
import dev.cohort.sample.rpc.NodeOutcome;
import dev.cohort.sample.rpc.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RPC endpoints on a solitary node (local transport), over HTTP. The node has one RPC
 * thread and room for one waiting call, and the test exposes a method that holds that
 * thread, so that it can make the node slow or busy at will.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.port=1", "cluster.rpc.threads=1", "cluster.rpc.queue-capacity=1" })
class SampleRpcTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ClusterRpc rpc;

	@Autowired
	private ClusterNodes clusterNodes;

	@Autowired
	private Hold hold;

	private RestClient http;

	private String self;

	@BeforeEach
	void createClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.self = this.clusterNodes.self().id();
	}

	@AfterEach
	void releaseTheThread() {
		this.hold.release.countDown();
	}

	@Test
	void broadcastListsThisNodeWithItsStatus() {
		ClusterStatus status = this.http.get().uri("/rpc/status").retrieve().body(ClusterStatus.class);
		assertThat(status).isNotNull();
		assertThat(status.allSucceeded()).isTrue();
		assertThat(status.nodes()).singleElement().satisfies((node) -> {
			assertThat(node.nodeId()).isEqualTo(this.self);
			assertThat(node.outcome()).isEqualTo("value");
			assertThat(node.error()).isNull();
			assertThat(node.status()).isNotNull();
			assertThat(node.status().nodeId()).isEqualTo(this.self);
			assertThat(node.status().role()).isEqualTo("all");
			assertThat(node.status().uptime()).isGreaterThanOrEqualTo(Duration.ZERO);
			assertThat(node.status().freeMemoryBytes()).isPositive();
		});
	}

	@Test
	void statusOfOneNodeCountsTheAnnouncementsItReceived() {
		long before = nodeStatus().announcementsReceived();
		HttpStatusCode published = this.http.post()
			.uri("/announcements")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "count me"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(published).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nodeStatus().announcementsReceived()).isEqualTo(before + 1));
		NodeStatus status = nodeStatus();
		assertThat(status.nodeId()).isEqualTo(this.self);
		assertThat(status.role()).isEqualTo("all");
	}

	@Test
	void unknownNodeIsNotFound() {
		assertThat(statusCode("/rpc/status/{nodeId}", "no-such-node")).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void badTimeoutIsBadRequest() {
		assertThat(statusCode("/rpc/status?timeout=soon")).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(statusCode("/rpc/status/{nodeId}?timeout=0s", this.self)).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void nodeThatDoesNotAnswerInTimeIsAGatewayTimeout() throws InterruptedException {
		holdTheOnlyThread();
		// The call waits in the queue behind the held thread until its timeout.
		assertThat(statusCode("/rpc/status/{nodeId}?timeout=300ms", this.self)).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
	}

	@Test
	void broadcastListsNoAnswerAndBusyNodes() throws InterruptedException {
		holdTheOnlyThread();
		// The request waits in the queue (which then is full) until the timeout.
		NodeOutcome silent = this.http.get()
			.uri("/rpc/status?timeout=300ms")
			.retrieve()
			.body(ClusterStatus.class)
			.nodes()
			.get(0);
		assertThat(silent.outcome()).isEqualTo("no-answer");
		assertThat(silent.status()).isNull();
		// The queue is full: the node answers 'busy' at once.
		ClusterStatus busy = this.http.get().uri("/rpc/status?timeout=30s").retrieve().body(ClusterStatus.class);
		assertThat(busy.allSucceeded()).isFalse();
		assertThat(busy.nodes()).singleElement().satisfies((node) -> {
			assertThat(node.outcome()).isEqualTo("error");
			assertThat(node.error()).contains("(busy)");
		});
		assertThat(statusCode("/rpc/status/{nodeId}?timeout=30s", this.self)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	/**
	 * Occupies the node's only RPC thread until the test ends, once every earlier call
	 * has been served.
	 */
	private void holdTheOnlyThread() throws InterruptedException {
		nodeStatus();
		this.hold.release = new CountDownLatch(1);
		this.rpc.send(this.self, Hold.NAME);
		assertThat(this.hold.started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
	}

	private NodeStatus nodeStatus() {
		return this.http.get().uri("/rpc/status/{nodeId}", this.self).retrieve().body(NodeStatus.class);
	}

	private HttpStatusCode statusCode(String uri, Object... variables) {
		return this.http.get().uri(uri, variables).exchange((request, response) -> response.getStatusCode());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class HoldConfiguration {

		@Bean
		Hold hold() {
			return new Hold();
		}

	}

	/**
	 * An RPC method that keeps its thread until released.
	 */
	static class Hold {

		static final String NAME = "test-hold";

		final Semaphore started = new Semaphore(0);

		volatile CountDownLatch release = new CountDownLatch(1);

		@ClusterRpcMethod(NAME)
		void hold() throws InterruptedException {
			this.started.release();
			this.release.await(30, TimeUnit.SECONDS);
		}

	}

}
