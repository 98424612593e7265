package dev.cohort.operations.dashboard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cohort.autoconfigure.ClusterAutoConfiguration;
import dev.cohort.autoconfigure.ClusterCacheAutoConfiguration;
import dev.cohort.autoconfigure.ClusterConnectionsAutoConfiguration;
import dev.cohort.autoconfigure.ClusterDashboardAutoConfiguration;
import dev.cohort.autoconfigure.ClusterOperationsAutoConfiguration;
import dev.cohort.autoconfigure.ClusterRpcAutoConfiguration;
import dev.cohort.autoconfigure.ClusterTasksAutoConfiguration;
import dev.cohort.cache.ClusterCache;
import dev.cohort.operations.dashboard.internal.DashboardInterceptor;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.QueueStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard over Cohort's own {@code ClusterOperations} on the local transport: what
 * the page reads is the store's, and its writes change the store. (The Redis transport is
 * covered by the sample app's {@code SampleDashboardBrowserTests}.)
 */
class DashboardLocalTransportTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class,
				ClusterConnectionsAutoConfiguration.class, ClusterRpcAutoConfiguration.class,
				ClusterTasksAutoConfiguration.class, ClusterOperationsAutoConfiguration.class,
				ClusterDashboardAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.security"))
		.withUserConfiguration(Reports.class)
		.withPropertyValues("cluster.transport=local", "cluster.dashboard.enabled=true",
				"cluster.dashboard.allow-anonymous=true", "cluster.connections.enabled=false");

	@Test
	void aFailedJobRetriedFromTheDashboardIsDone() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			ClusterTasks tasks = context.getBean(ClusterTasks.class);
			Reports reports = context.getBean(Reports.class);
			String jobId = tasks.enqueue("report", null);
			await().atMost(Duration.ofSeconds(10)).until(() -> stats(tasks).failed() == 1);

			mvc.perform(get("/cohort/api/overview"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.nodes.length()").value(1))
				.andExpect(jsonPath("$.queues[?(@.queue == 'reports')].failed").value(1));
			mvc.perform(get("/cohort/api/queues/reports"))
				.andExpect(jsonPath("$.failed[0].id").value(jobId))
				.andExpect(jsonPath("$.failed[0].message").value("not ready"));

			reports.failing.set(false);
			mvc.perform(write("/cohort/api/jobs/" + jobId + "/retry")).andExpect(jsonPath("$.done").value(true));
			await().atMost(Duration.ofSeconds(10)).until(() -> stats(tasks).processed() == 1);
			assertThat(stats(tasks).failed()).isZero();
			mvc.perform(get("/cohort/api/queues/reports/history?window=hour"))
				.andExpect(jsonPath("$.minutes.length()").value(60));
		});
	}

	@Test
	void deletingSelectedAndThenEveryFailedJobEmptiesTheFailedList() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			ClusterTasks tasks = context.getBean(ClusterTasks.class);
			String first = tasks.enqueue("report", null);
			tasks.enqueue("report", null);
			tasks.enqueue("report", null);
			await().atMost(Duration.ofSeconds(10)).until(() -> stats(tasks).failed() == 3);
			mvc.perform(write("/cohort/api/jobs/delete").contentType(MediaType.APPLICATION_JSON)
				.content("{\"jobIds\":[\"" + first + "\",\"reports:no-such-job\"]}"))
				.andExpect(jsonPath("$.count").value(1));
			assertThat(tasks.failed("reports")).extracting(FailedJob::id).hasSize(2).doesNotContain(first);
			mvc.perform(write("/cohort/api/queues/reports/failed/delete-all")).andExpect(jsonPath("$.count").value(2));
			assertThat(stats(tasks).failed()).isZero();
			assertThat(tasks.failed("reports")).isEmpty();
		});
	}

	@Test
	void cancellingADelayedJobAndReleasingALockChangeTheStore() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			ClusterTasks tasks = context.getBean(ClusterTasks.class);
			String later = tasks.enqueueIn(Duration.ofHours(1), "report", null);
			mvc.perform(get("/cohort/api/queues/reports")).andExpect(jsonPath("$.delayed[0].id").value(later));
			mvc.perform(write("/cohort/api/jobs/" + later + "/cancel")).andExpect(jsonPath("$.done").value(true));
			assertThat(tasks.delayed("reports")).isEmpty();

			ClusterCache cache = context.getBean(ClusterCache.class);
			assertThat(cache.tryLock("orders:42", Duration.ofMinutes(1))).isPresent();
			mvc.perform(get("/cohort/api/overview")).andExpect(jsonPath("$.locks[0].name").value("orders:42"));
			mvc.perform(write("/cohort/api/locks/release").param("name", "orders:42"))
				.andExpect(jsonPath("$.done").value(true));
			assertThat(cache.checkLock("orders:42")).isEmpty();
		});
	}

	private static MockHttpServletRequestBuilder write(String path) {
		return post(path).header(DashboardInterceptor.WRITE_HEADER, "1");
	}

	private static QueueStats stats(ClusterTasks tasks) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals("reports"))
			.findFirst()
			.orElse(new QueueStats("reports", 0, 0, 0, 0, 0, 0, 0, 0, null));
	}

	static class Reports {

		final AtomicBoolean failing = new AtomicBoolean(true);

		@ClusterTask(name = "report", queue = "reports")
		void run() {
			if (this.failing.get()) {
				throw new IllegalStateException("not ready");
			}
		}

	}

}
