package dev.cohort.operations.dashboard.internal;

import dev.cohort.autoconfigure.ClusterDashboardAutoConfiguration;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.dashboard.RecordingClusterOperations;
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
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's page, assets and JSON API, over a hand-written
 * {@link ClusterOperations} (anonymous access, so that only the web layer is under test;
 * security is tested in {@code ClusterDashboardAutoConfigurationTests}).
 */
class DashboardControllerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, ClusterDashboardAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.security"))
		.withBean(ClusterOperations.class, RecordingClusterOperations::new)
		.withPropertyValues("cluster.dashboard.enabled=true", "cluster.dashboard.allow-anonymous=true");

	@Test
	void servesThePageAndItsAssetsFromTheJar() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/cohort"))
				.andExpect(status().isFound())
				.andExpect(header().string("Location", "/cohort/"));
			mvc.perform(get("/cohort/"))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("<script src=\"assets/dashboard.js\"")))
				.andExpect(header().string("Content-Security-Policy", containsString("default-src 'none'")))
				.andExpect(header().string("Cache-Control", "no-store"));
			mvc.perform(get("/cohort/assets/dashboard.js"))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith("text/javascript"))
				.andExpect(content().string(containsString("textContent")));
			mvc.perform(get("/cohort/assets/dashboard.css"))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith("text/css"));
			mvc.perform(get("/cohort/assets/index.html")).andExpect(status().isNotFound());
			mvc.perform(get("/cohort/assets/..%2F..%2FDashboardController.class"))
				.andExpect(status().is4xxClientError());
		});
	}

	@Test
	void readsTheClusterThroughItsOperations() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/cohort/api/overview"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.self").value("node-1"))
				.andExpect(jsonPath("$.nodes[0].role").value("all"))
				.andExpect(jsonPath("$.queues[0].queue").value("images"))
				.andExpect(jsonPath("$.queues[0].processed").value(10))
				.andExpect(jsonPath("$.queues[0].oldestWaitingAge").value("PT3S"))
				.andExpect(jsonPath("$.connectionsPerNode.node-1").value(0));
			mvc.perform(get("/cohort/api/queues/images"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.counts.failed").value(1))
				.andExpect(jsonPath("$.failed[0].id").value(RecordingClusterOperations.FAILED_JOB))
				.andExpect(jsonPath("$.failed[0].message").value("<img src=x onerror=alert(1)>"))
				.andExpect(jsonPath("$.lastHour.minutes[1].done").value(6));
			mvc.perform(get("/cohort/api/queues/images?from=1")).andExpect(jsonPath("$.failed").isEmpty());
			mvc.perform(get("/cohort/api/queues/images/history?window=day"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.minutes[0].failed").value(1));
		});
	}

	@Test
	void answersWhatIsMissingOrWrongAsJson() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/cohort/api/queues/nothing"))
				.andExpect(status().isNotFound())
				.andExpect(jsonPath("$.message").value("No queue 'nothing'"));
			mvc.perform(get("/cohort/api/nodes/gone")).andExpect(status().isNotFound());
			mvc.perform(get("/cohort/api/room?name=lobby")).andExpect(status().isNotFound());
			mvc.perform(get("/cohort/api/queues/images/history?window=week"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.message").value("'window' must be 'hour' or 'day'"));
			mvc.perform(get("/cohort/api/queues/images?count=0")).andExpect(status().isBadRequest());
			mvc.perform(get("/cohort/api/queues/images?from=-1")).andExpect(status().isBadRequest());
			mvc.perform(
					write("/cohort/api/jobs/retry").contentType(MediaType.APPLICATION_JSON).content("{\"jobIds\":[]}"))
				.andExpect(status().isBadRequest());
		});
	}

	@Test
	void everyWriteGoesThroughTheOperationsWithTheActor() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(write("/cohort/api/jobs/job-1/retry")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/jobs/job-2/delete")).andExpect(jsonPath("$.done").value(false));
			mvc.perform(write("/cohort/api/jobs/job-3/cancel")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/jobs/retry").contentType(MediaType.APPLICATION_JSON)
				.content("{\"jobIds\":[\"job-1\",\"job-9\"]}")).andExpect(jsonPath("$.count").value(1));
			mvc.perform(write("/cohort/api/jobs/delete").contentType(MediaType.APPLICATION_JSON)
				.content("{\"jobIds\":[\"job-1\"]}")).andExpect(jsonPath("$.count").value(1));
			mvc.perform(write("/cohort/api/queues/images/failed/retry-all")).andExpect(jsonPath("$.count").value(1));
			mvc.perform(write("/cohort/api/queues/images/failed/delete-all")).andExpect(jsonPath("$.count").value(1));
			mvc.perform(write("/cohort/api/locks/release").param("name", "orders:42"))
				.andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/connections/c-1/disconnect")).andExpect(jsonPath("$.done").value(false));
			mvc.perform(get("/cohort/api/jobs/job-1/retry")).andExpect(status().isMethodNotAllowed());
			assertThat(context.getBean(RecordingClusterOperations.class).writes()).containsExactly(
					"retry job-1 by anonymous", "delete job-2 by anonymous", "cancel job-3 by anonymous",
					"retry job-1 by anonymous", "retry job-9 by anonymous", "delete job-1 by anonymous",
					"retry-all images by anonymous", "delete-all images by anonymous", "release orders:42 by anonymous",
					"disconnect c-1 by anonymous");
		});
	}

	private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder write(String path) {
		return post(path).header(DashboardInterceptor.WRITE_HEADER, "1");
	}

}
