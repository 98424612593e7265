package dev.cohort.rpc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.rpc.ClusterRpcException;
import dev.cohort.rpc.ConnectionLocator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A call whose request could not be sent fails with an error that names the node called
 * and the method, whatever the reason it could not be sent.
 */
class RpcSendFailureTests {

	private final ClusterBus bus = mock(ClusterBus.class);

	private final ClusterNodes nodes = mock(ClusterNodes.class);

	private final JsonMapper json = JsonMapper.builder().build();

	private final RpcClient client = new RpcClient(this.bus, this.nodes, this.json, mock(ConnectionLocator.class),
			mock(ClusterMetrics.class), new ClusterClock());

	@Test
	void callThatCouldNotBeSentForACheckedReasonNamesTheNodeAndTheMethod() {
		given(this.nodes.isReachable("node-b")).willReturn(true);
		given(this.bus.sendAsync(anyString(), anyString(), anyString()))
			.willReturn(CompletableFuture.failedFuture(new IOException("the channel closed")));
		CompletableFuture<String> call = this.client.call("node-b", "status",
				this.json.getTypeFactory().constructType(String.class), new Object[0], Duration.ofSeconds(5));
		assertThat(call).isCompletedExceptionally();
		Throwable failure = call.handle((value, ex) -> ex).join();
		assertThat(failure).isInstanceOf(ClusterRpcException.class)
			.hasMessage(
					"Could not send the call of 'status' to node 'node-b': java.io.IOException: the channel closed");
		assertThat(((ClusterRpcException) failure).getNodeId()).isEqualTo("node-b");
		assertThat(((ClusterRpcException) failure).getMethod()).isEqualTo("status");
	}

	@Test
	void callThatCouldNotBeSentForARuntimeReasonFailsWithThatException() {
		given(this.nodes.isReachable("node-b")).willReturn(true);
		IllegalStateException refused = new IllegalStateException("Redis is unreachable");
		given(this.bus.sendAsync(anyString(), anyString(), anyString()))
			.willReturn(CompletableFuture.failedFuture(refused));
		CompletableFuture<String> call = this.client.call("node-b", "status",
				this.json.getTypeFactory().constructType(String.class), new Object[0], Duration.ofSeconds(5));
		assertThat(call.handle((value, ex) -> ex).join()).isSameAs(refused);
	}

}
