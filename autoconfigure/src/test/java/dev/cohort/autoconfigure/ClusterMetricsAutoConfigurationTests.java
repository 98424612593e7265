package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.cohort.cache.micrometer.ClusterCacheMeterBinderProvider;
import dev.cohort.cluster.micrometer.ClusterGauges;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration of Cohort's gauges and cache meters.
 */
class ClusterMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, ClusterConnectionsAutoConfiguration.class,
				ClusterRpcAutoConfiguration.class, ClusterTasksAutoConfiguration.class,
				ClusterMetricsAutoConfiguration.class))
		.withPropertyValues("cluster.transport=local");

	private final ApplicationContextRunner withRegistry = this.runner.withBean(MeterRegistry.class,
			SimpleMeterRegistry::new);

	@Test
	void aMeterRegistryGetsTheGauges() {
		this.withRegistry.run((context) -> {
			assertThat(context).hasSingleBean(ClusterGauges.class).hasSingleBean(ClusterCacheMeterBinderProvider.class);
			assertThat(context.getBean(ClusterGauges.class).refreshInterval()).isEqualTo(Duration.ofSeconds(5));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cohort.rooms").gauge()).isNotNull();
			assertThat(registry.find("cohort.connections").gauge()).isNotNull();
			assertThat(registry.find("cohort.tasks.scheduler.leader").gauge()).isNotNull();
		});
	}

	@Test
	void onTheLocalTransportTheQueueGaugesCountTheLocalQueues() {
		this.withRegistry.withPropertyValues("cluster.role=server", "cluster.metrics.refresh-interval=100ms")
			.run((context) -> {
				ClusterTasks tasks = context.getBean(ClusterTasks.class);
				tasks.enqueue(JobRequest.of("anything", null).queue("mail"));
				tasks.enqueue(JobRequest.of("anything", null).queue("mail"));
				tasks.enqueue(JobRequest.of("anything", null).queue("mail").in(Duration.ofHours(1)));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(registry.get("cohort.tasks.waiting").tag("queue", "mail").gauge().value()).isEqualTo(2);
					assertThat(registry.get("cohort.tasks.delayed").tag("queue", "mail").gauge().value()).isEqualTo(1);
				});
			});
	}

	@Test
	void theRefreshIntervalIsAProperty() {
		this.withRegistry.withPropertyValues("cluster.metrics.refresh-interval=250ms")
			.run((context) -> assertThat(context.getBean(ClusterGauges.class).refreshInterval())
				.isEqualTo(Duration.ofMillis(250)));
	}

	@Test
	void aServerNodeHasNoLeadershipGauge() {
		this.withRegistry.withPropertyValues("cluster.role=server").run((context) -> {
			assertThat(context).hasSingleBean(ClusterGauges.class);
			assertThat(context.getBean(MeterRegistry.class).find("cohort.tasks.scheduler.leader").gauge()).isNull();
		});
	}

	@Test
	void noMeterRegistryNoGauges() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(ClusterGauges.class)
			.doesNotHaveBean(ClusterCacheMeterBinderProvider.class));
	}

	@Test
	void noMicrometerNoGauges() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterGauges.class));
	}

	@Test
	void backsOffForGaugesOfTheApplicationsOwn() {
		ClusterGauges own = new ClusterGauges(new SimpleMeterRegistry(), Duration.ofSeconds(1), List::of, null, null,
				null);
		this.withRegistry.withBean(ClusterGauges.class, () -> own)
			.run((context) -> assertThat(context.getBean(ClusterGauges.class)).isSameAs(own));
	}

	@Test
	void withoutCohortsCacheManagerNoCacheMeterBinder() {
		this.withRegistry.withPropertyValues("cluster.cache.cache-manager=false")
			.run((context) -> assertThat(context).hasSingleBean(ClusterGauges.class)
				.doesNotHaveBean(ClusterCacheMeterBinderProvider.class));
	}

	@Test
	void withoutSpringBootCacheNoCacheMeterBinder() {
		this.withRegistry.withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ClusterGauges.class)
				.doesNotHaveBean(ClusterCacheMeterBinderProvider.class));
	}

	@Test
	void aRefreshIntervalThatIsNotPositiveFailsAtStartUp() {
		this.withRegistry.withPropertyValues("cluster.metrics.refresh-interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasRootCauseMessage("cluster.metrics.refresh-interval must be positive, not PT0S");
		});
	}

}
