package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.cohort.cache.ClusterCache;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.tasks.internal.DefaultClusterTasks;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.tasks.internal.TaskWorker;
import dev.cohort.tasks.internal.WorkerSettings;
import dev.cohort.tasks.local.LocalTaskStore;
import dev.cohort.tasks.redis.RedisTaskStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The task queue's auto-configuration.
 */
class ClusterTasksAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, ClusterTasksAutoConfiguration.class))
		.withPropertyValues("cluster.transport=local");

	@Test
	void defaultsRunAWorkerAndASchedulerOnANodeOfEveryRole() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DefaultClusterTasks.class)
				.hasSingleBean(TaskRegistry.class)
				.hasSingleBean(TaskWorker.class)
				.hasSingleBean(RecurringScheduler.class);
			assertThat(context.getBean(TaskStore.class)).isInstanceOf(LocalTaskStore.class);
			WorkerSettings settings = context.getBean(TaskWorker.class).settings();
			assertThat(settings.queues()).containsExactly("*");
			assertThat(settings.minProcessors()).isEqualTo(1);
			assertThat(settings.maxProcessors()).isEqualTo(8);
			assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.maxStalls()).isEqualTo(2);
			assertThat(settings.lockWait()).isEqualTo(Duration.ofSeconds(1));
			assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			ClusterTasksProperties tasks = context.getBean(ClusterProperties.class).getTasks();
			assertThat(tasks.getSchedulerLease()).isEqualTo(Duration.ofSeconds(6));
			assertThat(tasks.getMaxCatchUp()).isEqualTo(10);
		});
	}

	@Test
	void propertiesTakeEffect() {
		this.runner
			.withPropertyValues("cluster.tasks.queues=high,low", "cluster.tasks.min-processors=2",
					"cluster.tasks.max-processors=16", "cluster.tasks.lease=10s", "cluster.tasks.max-stalls=5",
					"cluster.tasks.lock-wait=250ms", "cluster.tasks.shutdown-timeout=5s",
					"cluster.tasks.scheduler-lease=3s", "cluster.tasks.max-catch-up=2")
			.run((context) -> {
				WorkerSettings settings = context.getBean(TaskWorker.class).settings();
				assertThat(settings.queues()).containsExactly("high", "low");
				assertThat(settings.minProcessors()).isEqualTo(2);
				assertThat(settings.maxProcessors()).isEqualTo(16);
				assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.maxStalls()).isEqualTo(5);
				assertThat(settings.lockWait()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				ClusterTasksProperties tasks = context.getBean(ClusterProperties.class).getTasks();
				assertThat(tasks.getSchedulerLease()).isEqualTo(Duration.ofSeconds(3));
				assertThat(tasks.getMaxCatchUp()).isEqualTo(2);
			});
	}

	@Test
	void serverNodesEnqueueButRunNoJobs() {
		this.runner.withPropertyValues("cluster.role=server").run((context) -> {
			assertThat(context).hasSingleBean(ClusterTasks.class)
				.doesNotHaveBean(TaskWorker.class)
				.doesNotHaveBean(RecurringScheduler.class);
		});
	}

	@Test
	void workerNodesRunJobs() {
		this.runner.withPropertyValues("cluster.role=worker").run((context) -> {
			assertThat(context).hasSingleBean(TaskWorker.class).hasSingleBean(RecurringScheduler.class);
		});
	}

	@Test
	void redisTransportKeepsTheQueueInRedis() {
		RedisServer redis = RedisServer.shared();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class,
					ClusterTasksAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"cluster.server-token=" + TestNodes.TOKEN, "cluster.namespace=tasks-autoconfig")
			.run((context) -> assertThat(context.getBean(TaskStore.class)).isInstanceOf(RedisTaskStore.class));
	}

	@Test
	void userBeansReplaceOurs() {
		ClusterTasks tasks = mock(ClusterTasks.class);
		TaskStore store = new LocalTaskStore();
		TaskRegistry registry = new TaskRegistry();
		this.runner.withBean(ClusterTasks.class, () -> tasks)
			.withBean(TaskStore.class, () -> store)
			.withBean(TaskRegistry.class, () -> registry)
			.run((context) -> {
				assertThat(context.getBean(ClusterTasks.class)).isSameAs(tasks);
				assertThat(context.getBean(TaskStore.class)).isSameAs(store);
				assertThat(context.getBean(TaskRegistry.class)).isSameAs(registry);
			});
	}

	@Test
	void withoutTheCacheTheSchedulerLeadsThroughTheTaskStore() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClusterAutoConfiguration.class,
					ClusterTasksAutoConfiguration.class))
			.withPropertyValues("cluster.transport=local")
			.run((context) -> assertThat(context).hasSingleBean(TaskWorker.class)
				.doesNotHaveBean(ClusterCache.class)
				.hasSingleBean(RecurringScheduler.class));
	}

	@Test
	void badQueueNamesFailWithWhatToSet() {
		this.runner.withPropertyValues("cluster.tasks.queues=ok,{bad}").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("cluster.tasks.queues");
			assertThat(analysis.getAction()).contains("Set cluster.tasks.queues");
		});
	}

	@Test
	void processorsOutOfOrderFailWithWhatToSet() {
		this.runner.withPropertyValues("cluster.tasks.min-processors=9", "cluster.tasks.max-processors=4")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getAction()).contains("cluster.tasks.max-processors");
			});
	}

	@Test
	void disabledClusterMeansNoTasks() {
		this.runner.withPropertyValues("cluster.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ClusterTasks.class).doesNotHaveBean(TaskWorker.class);
		});
	}

	@Test
	void annotatedMethodsBecomeTasks() {
		this.runner.withBean(Invoices.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(registry.all()).extracting((task) -> task.name()).containsExactly("send-invoice");
			assertThat(registry.get("send-invoice").queue()).isEqualTo("billing");
			assertThat(registry.get("send-invoice").retries()).isEqualTo(3);
			assertThat(registry.get("send-invoice").retryDelay(3)).isEqualTo(Duration.ofSeconds(8));
			assertThat(registry.get("send-invoice").maskedArguments()).isEqualTo(List.of("card"));
		});
	}

	@Test
	void filteredParametersAreHiddenInTheJobsOfEveryTaskAndUnknownTasksWhole() {
		this.runner.withBean(Invoices.class)
			.withPropertyValues("cluster.tasks.filtered-parameters=password,token")
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				assertThat(registry.maskedArguments("send-invoice")).containsExactly("password", "token", "card");
				assertThat(registry.mask("send-invoice",
						"{\"card\":\"4111\",\"user\":{\"password\":\"p\",\"name\":\"ann\"},\"token\":[1]}"))
					.isEqualTo("{\"card\":\"***\",\"user\":{\"password\":\"***\",\"name\":\"ann\"},\"token\":\"***\"}");
				assertThat(registry.maskedArguments("unknown")).isNull();
				assertThat(registry.mask("unknown", "{\"name\":\"ann\"}")).isEqualTo("\"***\"");
				assertThat(registry.mask("send-invoice", null)).isNull();
			});
	}

	@Test
	void aCronIsReadInTheZoneItNamesAndABadZoneFailsAtStartUp() {
		this.runner.withBean(MorningReport.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(registry.get("morning-report").zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
			assertThat(registry.get("send-invoice")).isNull();
		});
		this.runner.withBean(Invoices.class)
			.run((context) -> assertThat(context.getBean(TaskRegistry.class).get("send-invoice").zone())
				.isEqualTo(java.time.ZoneId.of("UTC")));
		this.runner.withBean(MarsReport.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@ClusterTask on")
				.hasStackTraceContaining(
						"zone 'Mars/Olympus' is not a time zone id: set a region such as Europe/Paris"));
	}

	static class MorningReport {

		@dev.cohort.tasks.ClusterTask(name = "morning-report", cron = "0 0 9 * * *", zone = "Europe/Paris")
		void report() {
		}

	}

	static class MarsReport {

		@dev.cohort.tasks.ClusterTask(name = "mars-report", cron = "0 0 9 * * *", zone = "Mars/Olympus")
		void report() {
		}

	}

	static class Invoices {

		@dev.cohort.tasks.ClusterTask(name = "send-invoice", queue = "billing", retries = 3, backoff = "2s",
				backoffMultiplier = 2, maskedArguments = "card")
		void send(String invoice) {
		}

	}

}
