package dev.cohort.rpc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.RpcEndpoints;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A call that its caller was told timed out never runs later, when Redis delivers the
 * request after an outage.
 */
class RpcOutageTests {

	private RedisServer redis;

	private TestNodes nodes;

	private ConfigurableApplicationContext caller;

	private ConfigurableApplicationContext callee;

	@BeforeEach
	void setUp() {
		this.redis = RedisServer.start();
		this.nodes = TestNodes.redis(this.redis);
		// Nobody is dropped from the membership during the short outages of these tests.
		this.nodes.common().put("cluster.node-timeout", "60s");
		this.caller = this.nodes.start();
		this.callee = this.nodes.start();
		await().until(() -> this.caller.getBean(ClusterNodes.class).members().size() == 2);
	}

	@AfterEach
	void tearDown() {
		this.redis.resume();
		this.nodes.close();
		this.redis.close();
	}

	@Test
	void callThatTimedOutWhileRedisWasPausedNeverRuns() throws Exception {
		String callee = id(this.callee);
		RpcEndpoints endpoints = this.callee.getBean(RpcEndpoints.class);
		this.redis.pause();
		CompletableFuture<Void> call = rpc(this.caller).withTimeout(Duration.ofSeconds(1))
			.call(callee, "ping", Void.class);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(30, TimeUnit.SECONDS))
			.withCauseInstanceOf(RpcTimeoutException.class);
		// Redis goes on and delivers the request it kept: the callee must see that the
		// caller has given up.
		this.redis.resume();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> endpoints.pings.get() > 0 || served(this.callee, "ping", "expired") > 0);
		assertThat(endpoints.pings).as("runs of the call reported as timed out").hasValue(0);
		assertThat(served(this.callee, "ping", "expired")).isEqualTo(1);
		rpc(this.caller).call(callee, "ping", Void.class).get(30, TimeUnit.SECONDS);
		assertThat(endpoints.pings).hasValue(1);
	}

	private static long served(ConfigurableApplicationContext context, String method, String outcome) {
		Timer timer = context.getBean(MeterRegistry.class)
			.find("cohort.rpc.server")
			.tag("method", method)
			.tag("outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static ClusterRpc rpc(ConfigurableApplicationContext context) {
		return context.getBean(ClusterRpc.class);
	}

	private static String id(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

}
