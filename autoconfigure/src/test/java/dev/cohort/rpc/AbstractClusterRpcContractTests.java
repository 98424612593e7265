package dev.cohort.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.rpc.BroadcastResult.Value;
import dev.cohort.rpc.RemoteCallException.Kind;
import dev.cohort.rpc.internal.RpcClient;
import dev.cohort.rpc.internal.RpcServer;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.RpcEndpoints;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What ClusterRpc does on one node, the same on every transport. One node serves every
 * test of a class (starting one per test was most of the suite's time); a test that needs
 * a node configured otherwise, or that stops a node, starts its own among the
 * {@code extras}, closed after it.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterRpcContractTests {

	private TestNodes nodes;

	private TestNodes extras;

	private ConfigurableApplicationContext node;

	private ClusterRpc rpc;

	private String self;

	protected abstract TestNodes nodes();

	@BeforeAll
	void startNode() {
		this.nodes = nodes();
		this.node = this.nodes.start();
		this.rpc = this.node.getBean(ClusterRpc.class);
		this.self = this.node.getBean(ClusterNodes.class).self().id();
	}

	@BeforeEach
	void prepareExtras() {
		this.extras = nodes();
	}

	@AfterEach
	void closeExtras() {
		this.extras.close();
	}

	@AfterAll
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void callReturnsTheTypedResult() throws Exception {
		assertThat(this.rpc.call(this.self, "add", Integer.class, 2, 3).get(5, TimeUnit.SECONDS)).isEqualTo(5);
		assertThat(this.rpc.call(this.self, "greet", Greeting.class, new Greeting("ann", 1)).get(5, TimeUnit.SECONDS))
			.isEqualTo(new Greeting("hello ann", 2));
		assertThat(this.rpc.call(this.self, "set-flag", Void.class).get(5, TimeUnit.SECONDS)).isNull();
		assertThat(this.node.getBean(RpcEndpoints.class).flag).isTrue();
	}

	@Test
	void aMethodThatPromisesNotToBlockRunsOnTheReceivingThreadAndOthersOnAnRpcThread() throws Exception {
		assertThat(this.rpc.call(this.self, "thread", String.class).get(5, TimeUnit.SECONDS)).startsWith("cohort-rpc-");
		assertThat(this.rpc.call(this.self, "thread-non-blocking", String.class).get(5, TimeUnit.SECONDS))
			.doesNotStartWith("cohort-rpc-");
		RpcMethods methods = this.node.getBean(RpcMethods.class);
		methods.exposeNonBlocking("echo-non-blocking", Greeting.class,
				(greeting) -> new Greeting(Thread.currentThread().getName(), greeting.number()));
		Greeting echoed = this.rpc.call(this.self, "echo-non-blocking", Greeting.class, new Greeting("x", 7))
			.get(5, TimeUnit.SECONDS);
		assertThat(echoed.number()).isEqualTo(7);
		assertThat(echoed.text()).doesNotStartWith("cohort-rpc-");
	}

	@Test
	void genericResultsMapToTheRequestedType() throws Exception {
		List<Greeting> greetings = this.rpc
			.call(this.self, "count-to", new ParameterizedTypeReference<List<Greeting>>() {
			}, 2)
			.get(5, TimeUnit.SECONDS);
		assertThat(greetings).containsExactly(new Greeting("n", 1), new Greeting("n", 2));
	}

	@Test
	void callsAreTimedOnBothSidesByMethodAndOutcome() {
		this.rpc.call(this.self, "add", Integer.class, 1, 1).join();
		assertRemoteError(this.rpc.call(this.self, "nope", Void.class), Kind.UNKNOWN_METHOD);
		MeterRegistry registry = this.node.getBean(MeterRegistry.class);
		await().untilAsserted(() -> {
			assertThat(registry.find("cohort.rpc.client").tags("method", "add", "outcome", "success").timer())
				.isNotNull();
			assertThat(registry.find("cohort.rpc.server").tags("method", "add", "outcome", "success").timer())
				.isNotNull();
			assertThat(registry.find("cohort.rpc.client").tags("method", "nope", "outcome", "unknown-method").timer())
				.isNotNull();
		});
	}

	@Test
	void unexposedMethodCannotBeCalled() {
		assertRemoteError(this.rpc.call(this.self, "secret", Void.class), Kind.UNKNOWN_METHOD);
		assertThat(this.node.getBean(RpcEndpoints.class).secretCalled).isFalse();
	}

	@Test
	void argumentsThatDoNotBindAreAnErrorNotATimeout() {
		assertRemoteError(this.rpc.call(this.self, "add", Integer.class, "two", "three"), Kind.BAD_ARGUMENTS);
		assertRemoteError(this.rpc.call(this.self, "add", Integer.class, 1), Kind.BAD_ARGUMENTS);
	}

	@Test
	void handlerThatThrowsIsAnErrorWithItsTypeAndMessageButNoStackTrace() {
		ConfigurableApplicationContext failing = this.extras.start(RpcEndpoints.FAIL_WHOAMI + "=true");
		ClusterRpc failingRpc = failing.getBean(ClusterRpc.class);
		String failingId = failing.getBean(ClusterNodes.class).self().id();
		RemoteCallException error = assertRemoteError(failingRpc.call(failingId, "whoami", String.class), Kind.FAILED);
		assertThat(error.getExceptionType()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.getMessage()).contains("whoami failed on purpose").contains(failingId);
		assertThat(error.getRemoteStackTrace()).isNull();
	}

	@Test
	void resultThatCannotBeSentIsAnErrorNotATimeout() {
		ClusterRpc patient = this.rpc.withTimeout(Duration.ofMinutes(1));
		assertThat(assertRemoteError(patient.call(this.self, "unwritable", Object.class), Kind.FAILED).getMessage())
			.contains("cannot be written as JSON");
		assertThat(assertRemoteError(patient.call(this.self, "huge", String.class), Kind.FAILED).getMessage())
			.contains("could not be sent");
	}

	@Test
	void callsWorkAfterTheContextIsStoppedAndStartedAgain() throws Exception {
		ConfigurableApplicationContext restarted = this.extras.start();
		restarted.stop();
		restarted.start();
		String restartedId = restarted.getBean(ClusterNodes.class).self().id();
		assertThat(restarted.getBean(ClusterRpc.class)
			.call(restartedId, "add", Integer.class, 4, 5)
			.get(10, TimeUnit.SECONDS)).isEqualTo(9);
	}

	@Test
	void stackTracesAreSentWhenConfigured() {
		ConfigurableApplicationContext failing = this.extras.start(RpcEndpoints.FAIL_WHOAMI + "=true",
				"cluster.rpc.send-stack-traces=true");
		String failingId = failing.getBean(ClusterNodes.class).self().id();
		RemoteCallException error = assertRemoteError(
				failing.getBean(ClusterRpc.class).call(failingId, "whoami", String.class), Kind.FAILED);
		assertThat(error.getRemoteStackTrace()).contains("RpcEndpoints.whoami");
	}

	@Test
	void callThatCannotBeSentFailsAtOnceAndLeavesNothingBehind() {
		CompletableFuture<String> call = this.rpc.call(this.self, "whoami", String.class, "x".repeat(2_000_000));
		assertThat(call).isCompletedExceptionally();
		assertThatExceptionOfType(Exception.class).isThrownBy(call::join)
			.withCauseInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("cluster.messages.max-size");
		assertThat(this.node.getBean(RpcClient.class).pendingCalls()).isZero();
	}

	@Test
	void unknownNodeFailsAtOnce() {
		CompletableFuture<String> call = this.rpc.withTimeout(Duration.ofMinutes(1))
			.call("no-such-node", "whoami", String.class);
		assertThat(call).isCompletedExceptionally();
		assertThatExceptionOfType(Exception.class).isThrownBy(call::join)
			.withCauseInstanceOf(UnknownNodeException.class);
	}

	@Test
	void fullServerAnswersBusyAtOnce() {
		ConfigurableApplicationContext small = this.extras.start("cluster.rpc.threads=1",
				"cluster.rpc.queue-capacity=1");
		ClusterRpc smallRpc = small.getBean(ClusterRpc.class).withTimeout(Duration.ofSeconds(30));
		String smallId = small.getBean(ClusterNodes.class).self().id();
		RpcEndpoints endpoints = small.getBean(RpcEndpoints.class);
		CompletableFuture<String> running = smallRpc.call(smallId, "hold", String.class);
		CompletableFuture<String> queued = smallRpc.call(smallId, "hold", String.class);
		CompletableFuture<String> refused = smallRpc.call(smallId, "hold", String.class);
		assertRemoteError(refused, Kind.BUSY);
		endpoints.release.countDown();
		assertThat(running.join()).isEqualTo("released");
		assertThat(queued.join()).isEqualTo("released");
	}

	@Test
	void silenceIsATimeoutAndTimedOutCallsLeaveNothingBehind() {
		ConfigurableApplicationContext silent = this.extras.start();
		silent.getBean(RpcServer.class).stop();
		String silentId = silent.getBean(ClusterNodes.class).self().id();
		ClusterRpc quick = silent.getBean(ClusterRpc.class).withTimeout(Duration.ofMillis(300));
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			calls.add(quick.call(silentId, "whoami", String.class));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		await().until(() -> calls.stream().allMatch(CompletableFuture::isDone));
		assertThat(calls).allSatisfy((call) -> assertThatExceptionOfType(Exception.class).isThrownBy(call::join)
			.withCauseInstanceOf(RpcTimeoutException.class));
		assertThat(silent.getBean(RpcClient.class).pendingCalls()).isZero();
	}

	@Test
	void broadcastOnASolitaryNodeCallsItselfUnlessExcluded() throws Exception {
		BroadcastResult<String> result = this.rpc.broadcast("whoami", String.class).get(5, TimeUnit.SECONDS);
		assertThat(result.outcomes()).containsOnlyKeys(this.self);
		assertThat(result.outcome(this.self)).contains(new Value<>(this.self));
		assertThat(this.rpc.excludingSelf().broadcast("whoami", String.class).get(5, TimeUnit.SECONDS).outcomes())
			.isEmpty();
	}

	@Test
	void fireAndForgetRunsTheMethod() {
		RpcEndpoints endpoints = this.node.getBean(RpcEndpoints.class);
		this.rpc.send(this.self, "ping");
		this.rpc.sendAll("ping");
		await().until(() -> endpoints.pings.get() == 2);
		assertThat(this.node.getBean(RpcClient.class).pendingCalls()).isZero();
	}

	@Test
	void typedClientCallsExposedMethods() throws Exception {
		Calculator calculator = this.rpc.client(Calculator.class, this.self);
		assertThat(calculator.add(20, 22)).isEqualTo(42);
		assertThat(calculator.greet(new Greeting("bo", 7)).get(5, TimeUnit.SECONDS))
			.isEqualTo(new Greeting("hello bo", 8));
		assertThatExceptionOfType(RemoteCallException.class).isThrownBy(calculator::secret)
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(Kind.UNKNOWN_METHOD));
	}

	private static RemoteCallException assertRemoteError(CompletableFuture<?> call, Kind kind) {
		Throwable cause = assertThatExceptionOfType(Exception.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.actual()
			.getCause();
		assertThat(cause).isInstanceOf(RemoteCallException.class);
		assertThat(((RemoteCallException) cause).getKind()).isEqualTo(kind);
		return (RemoteCallException) cause;
	}

	/**
	 * A typed client of the test node's methods.
	 */
	interface Calculator {

		int add(int a, int b);

		@ClusterRpcMethod("greet")
		CompletableFuture<Greeting> greet(Greeting greeting);

		void secret();

	}

}
