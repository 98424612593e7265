package dev.cohort.sample;

import java.time.Duration;

import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Prometheus and Kubernetes see of a solitary sample node: Cohort's gauges and the
 * cache metrics of its caches at {@code /actuator/prometheus}, and the probes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.data.redis.port=1",
		"cluster.metrics.refresh-interval=200ms", "management.endpoint.health.group.readiness.show-components=always" })
class SampleMetricsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ClusterTasks tasks;

	private RestClient http;

	@BeforeEach
	void createClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	@Test
	void prometheusScrapesCohortsGauges() {
		this.tasks.enqueue(JobRequest.of("no-such-task", null).queue("scraped").in(Duration.ofHours(1)));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String scrape = scrape();
			assertThat(scrape).contains("cohort_tasks_delayed_jobs{queue=\"scraped\"} 1.0")
				.contains("cohort_tasks_waiting_jobs{queue=\"scraped\"} 0.0")
				.contains("cohort_tasks_running_jobs{queue=\"scraped\"}")
				.contains("cohort_tasks_failed_jobs{queue=\"scraped\"}")
				.contains("cohort_tasks_oldest_waiting_age_seconds{queue=\"scraped\"}")
				.contains("cohort_rooms ")
				.contains("cohort_connections ")
				.contains("cohort_tasks_scheduler_leader ")
				.contains("cohort_cluster_members ");
		});
	}

	@Test
	void prometheusScrapesTheHitsAndMissesOfCohortsCaches() {
		this.http.get().uri("/cache/quote?date=2031-01-01").retrieve().toBodilessEntity();
		this.http.get().uri("/cache/quote?date=2031-01-01").retrieve().toBodilessEntity();
		String scrape = scrape();
		assertThat(scrape)
			.containsPattern("cache_gets_total\\{cache=\"quotes\",cache_manager=\"cacheManager\",[^}]*"
					+ "result=\"hit\"[^}]*} [1-9]")
			.containsPattern("cache_gets_total\\{cache=\"quotes\",cache_manager=\"cacheManager\",[^}]*"
					+ "result=\"miss\"[^}]*} [1-9]");
	}

	@Test
	void theReadinessProbeIncludesTheClusterAndTheLivenessProbeDoesNot() {
		String readiness = this.http.get().uri("/actuator/health/readiness").retrieve().body(String.class);
		assertThat(readiness).contains("\"status\":\"UP\"").contains("\"cluster\"").contains("\"readinessState\"");
		String liveness = this.http.get().uri("/actuator/health/liveness").retrieve().body(String.class);
		assertThat(liveness).contains("\"status\":\"UP\"").doesNotContain("cluster");
	}

	private String scrape() {
		return this.http.get().uri("/actuator/prometheus").retrieve().body(String.class);
	}

}
