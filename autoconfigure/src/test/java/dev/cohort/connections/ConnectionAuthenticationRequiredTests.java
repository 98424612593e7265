package dev.cohort.connections;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code cluster.connections.require-authentication=true}: an anonymous handshake is
 * refused with 401 and counted; an authenticated one connects, and the node keeps
 * serving.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ConnectionAuthenticationRequiredTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private ConfigurableApplicationContext node;

	@BeforeAll
	void startANode() {
		this.node = this.nodes.startWeb("cluster.connections.require-authentication=true");
	}

	@AfterAll
	void stopNode() {
		this.nodes.close();
	}

	@Test
	void anAnonymousHandshakeIsRefusedWith401AndCountedAndAUserConnects() throws Exception {
		assertThatException().isThrownBy(() -> TestClient.connect(this.node))
			.satisfies((ex) -> assertThat(causes(ex)).contains("401"));
		assertThat(this.node.getBean(MeterRegistry.class)
			.get("cohort.connections.refused")
			.tag("reason", "unauthenticated")
			.counter()
			.count()).isEqualTo(1);
		try (TestClient alice = TestClient.connectAs(this.node, "alice")) {
			assertThat(this.node.getBean(ClusterConnections.class).apply(alice.id()).user()).isEqualTo("alice");
		}
	}

	private static String causes(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable each = ex; each != null; each = each.getCause()) {
			messages.append(each).append('\n');
		}
		return messages.toString();
	}

}
