package dev.cohort.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodeApplication;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeansException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose machine clock runs 90 s behind the Redis server's: it learns the offset
 * before it subscribes, so a fresh {@code cohort.node.joined} that arrives while it is
 * still starting (its bus listening, its membership not yet joined) is accepted, not
 * refused as stale.
 */
class SkewedClockStartupTests {

	private static final long SKEW_MILLIS = -90_000;

	/** The node that announces itself while the skewed node starts. */
	static volatile @Nullable ClusterBus announcer;

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private @Nullable ConfigurableApplicationContext skewed;

	@AfterEach
	void tearDown() {
		if (this.skewed != null) {
			this.skewed.close();
		}
		this.nodes.close();
		announcer = null;
	}

	@Test
	void nodeWhoseClockRunsBehindAcceptsAFreshJoinAnnouncementWhileStarting() {
		ConfigurableApplicationContext other = this.nodes.start();
		announcer = other.getBean(ClusterBus.class);
		String otherId = other.getBean(ClusterNodes.class).self().id();
		this.skewed = new SpringApplicationBuilder(TestNodeApplication.class, SkewedNode.class)
			.web(WebApplicationType.NONE)
			.properties(this.nodes.common())
			.run();
		Probe probe = this.skewed.getBean(Probe.class);
		assertThat(probe.busRunning).as("the bus listens when the probe starts").isTrue();
		assertThat(probe.membershipRunning).as("the membership has not joined when the probe starts").isFalse();
		assertThat(probe.joined).containsExactly(otherId);
		assertThat(rejected(this.skewed, "stale")).isZero();
		assertThat(this.skewed.getBean(ClusterClock.class).offsetMillis()).isBetween(-SKEW_MILLIS - 1_000,
				-SKEW_MILLIS + 1_000);
		await().until(() -> this.skewed.getBean(ClusterNodes.class).isMember(otherId));
	}

	private static double rejected(ApplicationContext node, String reason) {
		Counter counter = node.getBean(MeterRegistry.class)
			.find("cohort.messages.rejected")
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	static class SkewedNode {

		@Bean
		ClusterClock clusterClock() {
			return new ClusterClock(() -> System.currentTimeMillis() + SKEW_MILLIS, System::nanoTime);
		}

		@Bean
		Probe probe(ClusterBus bus) {
			return new Probe(bus);
		}

	}

	/**
	 * Starts in the bus's phase, after the bus it depends on and before the membership:
	 * has the other node announce itself, and waits until the starting node has either
	 * handled the announcement or refused it.
	 */
	static class Probe implements SmartLifecycle, ApplicationContextAware {

		final List<String> joined = new CopyOnWriteArrayList<>();

		private final ClusterBus bus;

		volatile boolean busRunning;

		volatile boolean membershipRunning;

		private @Nullable ApplicationContext context;

		private volatile boolean running;

		Probe(ClusterBus bus) {
			this.bus = bus;
		}

		@Override
		public void setApplicationContext(ApplicationContext context) throws BeansException {
			this.context = context;
		}

		@Override
		public void start() {
			ApplicationContext context = this.context;
			ClusterBus sender = announcer;
			assertThat(context).isNotNull();
			assertThat(sender).isNotNull();
			ClusterBus bus = this.bus;
			this.busRunning = bus.isRunning();
			this.membershipRunning = context.getBean(ClusterMembership.class).isRunning();
			ClusterBus.Registration registration = bus.subscribeInline("cohort.node.joined",
					(Envelope envelope) -> this.joined.add(envelope.origin()));
			sender.send("cohort.node.joined", Envelope.ALL, "{}");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !this.joined.isEmpty() || rejected(context, "stale") > 0);
			registration.cancel();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return ClusterBus.PHASE;
		}

	}

}
