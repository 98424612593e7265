package dev.cohort.rpc;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.ForkedNode;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ClusterRpc#callConnection} through Cohort's own {@link ConnectionLocator},
 * backed by the connection directory on a real Redis, with two web nodes and WebSocket
 * clients: the call reaches the node that holds the connection from any node; a client
 * that reconnects to another node is a new connection, found there, and its old id is
 * gone; the id of a closed connection, or of one whose node was killed (SIGKILL), throws
 * {@link UnknownConnectionException} at once, without waiting for the RPC timeout, as
 * soon as the directory knows. The two nodes serve every test of the class; one more test
 * runs a single node on the local transport, whose directory is in memory.
 */
@TestInstance(Lifecycle.PER_CLASS)
class CallConnectionThroughTheDirectoryTests {

	/** Generous, as the machine may be busy. */
	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** Well under the RPC timeout (5 s): the call never waited for an answer. */
	private static final Duration AT_ONCE = Duration.ofMillis(500);

	private TestNodes nodes;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeAll
	void startTwoWebNodesWithCohortsOwnLocator() {
		this.nodes = TestNodes.redis(RedisServer.shared());
		this.a = this.nodes.startWeb();
		this.b = this.nodes.startWeb();
		await().atMost(TIMEOUT).until(() -> members(this.a) == 2 && members(this.b) == 2);
	}

	@AfterAll
	void stopNodes() {
		this.nodes.close();
	}

	@Test
	void theLocatorIsCohortsOwn() {
		ConnectionLocator locator = this.a.getBean(ConnectionLocator.class);
		assertThat(locator.getClass().getName()).startsWith("dev.cohort.autoconfigure.");
	}

	@Test
	void aCallReachesTheNodeThatHoldsTheConnectionFromAnyNode() throws Exception {
		try (TestClient onA = TestClient.connect(this.a); TestClient onB = TestClient.connect(this.b)) {
			for (ConfigurableApplicationContext caller : new ConfigurableApplicationContext[] { this.a, this.b }) {
				assertThat(whoHolds(caller, onA.id())).isEqualTo(id(this.a));
				assertThat(whoHolds(caller, onB.id())).isEqualTo(id(this.b));
			}
		}
	}

	@Test
	void aClientThatReconnectsToAnotherNodeIsFoundThereAndItsOldIdIsGone() throws Exception {
		String oldId;
		try (TestClient onA = TestClient.connect(this.a)) {
			oldId = onA.id();
			assertThat(whoHolds(this.b, oldId)).isEqualTo(id(this.a));
		}
		try (TestClient onB = TestClient.connect(this.b)) {
			assertThat(onB.id()).as("a new socket is a new connection").isNotEqualTo(oldId);
			for (ConfigurableApplicationContext caller : new ConfigurableApplicationContext[] { this.a, this.b }) {
				assertThat(whoHolds(caller, onB.id())).isEqualTo(id(this.b));
				await().atMost(TIMEOUT).untilAsserted(() -> assertUnknownAtOnce(caller, oldId));
			}
		}
	}

	@Test
	void aClosedConnectionIsUnknownAtOnceOnEveryNode() throws Exception {
		TestClient client = TestClient.connect(this.a);
		String id = client.id();
		assertThat(whoHolds(this.b, id)).isEqualTo(id(this.a));
		long closedAt = System.nanoTime();
		client.close();
		await().atMost(TIMEOUT).untilAsserted(() -> assertUnknownAtOnce(this.b, id));
		long knownGoneAfter = millisSince(closedAt);
		assertUnknownAtOnce(this.a, id);
		assertUnknownAtOnce(this.a, "no-such-connection");
		System.out.printf("callConnection: a closed connection unknown on the other node %d ms after the close%n",
				knownGoneAfter);
	}

	@Test
	void aConnectionOfAKilledNodeIsUnknownAtOnceAfterTheNodeTimeout() throws Exception {
		int port = freePort();
		try (ForkedNode doomed = ForkedNode.start(this.nodes.arguments("cluster.node-id=doomed",
				"spring.main.web-application-type=servlet", "server.address=127.0.0.1", "server.port=" + port))) {
			doomed.awaitMemberOf(this.a, "doomed");
			try (TestClient onDoomed = TestClient.connect(port)) {
				String id = onDoomed.id();
				assertThat(whoHolds(this.a, id)).isEqualTo("doomed");
				doomed.kill();
				long killedAt = System.nanoTime();
				// Until the node times out (cluster.node-timeout) the directory still
				// names
				// it: a call made now is sent, and nobody answers it (unless the node has
				// already timed out on a busy machine).
				assertNoAnswerOrUnknown(this.a.getBean(ClusterRpc.class).withTimeout(Duration.ofMillis(300)), id);
				await().atMost(TIMEOUT).untilAsserted(() -> assertUnknownAtOnce(this.a, id));
				long knownGoneAfter = millisSince(killedAt);
				assertUnknownAtOnce(this.b, id);
				assertThat(Duration.ofMillis(knownGoneAfter)).as("unknown within the node timeout and a bit")
					.isLessThan(Duration.ofMillis(1500).plus(TIMEOUT.dividedBy(2)));
				System.out.printf(
						"callConnection: a connection of a SIGKILLed node unknown %d ms after the kill (node timeout "
								+ "1500 ms, heartbeats every 200 ms)%n",
						knownGoneAfter);
			}
		}
	}

	@Test
	void onTheLocalTransportTheNodeFindsItsOwnConnectionsUntilTheyClose() throws Exception {
		try (TestNodes local = TestNodes.local()) {
			ConfigurableApplicationContext node = local.startWeb();
			TestClient client = TestClient.connect(node);
			assertThat(whoHolds(node, client.id())).isEqualTo(id(node));
			client.close();
			await().atMost(TIMEOUT).untilAsserted(() -> assertUnknownAtOnce(node, client.id()));
		}
	}

	private static void assertNoAnswerOrUnknown(ClusterRpc rpc, String connectionId) {
		CompletableFuture<String> call;
		try {
			call = rpc.callConnection(connectionId, "whoami", String.class);
		}
		catch (UnknownConnectionException alreadyTimedOut) {
			return;
		}
		assertThat(call).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfAny(RpcTimeoutException.class, UnknownNodeException.class);
	}

	private static String whoHolds(ConfigurableApplicationContext caller, String connectionId) throws Exception {
		return caller.getBean(ClusterRpc.class)
			.callConnection(connectionId, "whoami", String.class)
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The call throws {@link UnknownConnectionException}, naming the connection, without
	 * sending anything and so well before any RPC timeout.
	 */
	private static void assertUnknownAtOnce(ConfigurableApplicationContext caller, String connectionId) {
		ClusterRpc rpc = caller.getBean(ClusterRpc.class);
		long start = System.nanoTime();
		assertThatExceptionOfType(UnknownConnectionException.class)
			.isThrownBy(() -> rpc.callConnection(connectionId, "whoami", String.class))
			.withMessageContaining(connectionId);
		assertThat(Duration.ofMillis(millisSince(start))).isLessThan(AT_ONCE);
	}

	private static String id(ConfigurableApplicationContext node) {
		return node.getBean(ClusterNodes.class).self().id();
	}

	private static int members(ConfigurableApplicationContext node) {
		return node.getBean(ClusterNodes.class).members().size();
	}

	private static long millisSince(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
