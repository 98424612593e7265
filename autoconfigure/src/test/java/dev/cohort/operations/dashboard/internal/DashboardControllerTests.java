package dev.cohort.operations.dashboard.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
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
	void theScriptPutsTheClustersDataInAsTextAndFindsItsElementsOnThePage() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			String script = mvc.perform(get("/cohort/assets/dashboard.js"))
				.andReturn()
				.getResponse()
				.getContentAsString();
			String page = mvc.perform(get("/cohort/")).andReturn().getResponse().getContentAsString();
			// No markup from strings: data goes in as text nodes only.
			assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
					"new Function");
			// The queue's and the recurring tasks' controls, and the pages of the lists.
			assertThat(script).contains("'/pause'", "'/resume'", "'/jobs/delete-all'", "'recurring/'",
					"'/failed/delete-all'", "'/' + list + '?from=' + from + '&count=' + PAGE_SIZE");
			Set<String> ids = ids(page, "id=\"([\\w-]+)\"");
			assertThat(ids(script, "\\$\\('([\\w-]+)'\\)")).isNotEmpty().isSubsetOf(ids);
			for (String list : List.of("waiting", "delayed", "failed")) {
				assertThat(ids).contains(list, list + "-count", list + "-page", list + "-previous", list + "-next");
			}
		});
	}

	private static Set<String> ids(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		Set<String> ids = new TreeSet<>();
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
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
				.andExpect(jsonPath("$.queues[0].paused").value(true))
				.andExpect(jsonPath("$.recurring[0].task").value("nightly-report"))
				.andExpect(jsonPath("$.recurring[0].paused").value(true))
				.andExpect(jsonPath("$.connectionsPerNode.node-1").value(0));
			mvc.perform(get("/cohort/api/queues/images"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.counts.failed").value(1))
				.andExpect(jsonPath("$.counts.paused").value(true))
				.andExpect(jsonPath("$.waiting[0].id").value("job-2"))
				.andExpect(jsonPath("$.delayed[0].id").value("job-3"))
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
	void pagesAQueuesWaitingDelayedAndFailedJobs() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/cohort/api/queues/images/waiting"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.length()").value(1))
				.andExpect(jsonPath("$[0].id").value("job-2"))
				.andExpect(jsonPath("$[0].args").value("{\"image\":\"<b>cat</b>\"}"));
			mvc.perform(get("/cohort/api/queues/images/delayed?from=0&count=20"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$[0].id").value("job-3"))
				.andExpect(jsonPath("$[0].dueAt").isNotEmpty());
			mvc.perform(get("/cohort/api/queues/images/failed?from=0&count=500"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$[0].id").value(RecordingClusterOperations.FAILED_JOB))
				.andExpect(jsonPath("$[0].message").value("<img src=x onerror=alert(1)>"));
			mvc.perform(get("/cohort/api/queues/images/waiting?from=20&count=20")).andExpect(jsonPath("$").isEmpty());
			mvc.perform(get("/cohort/api/queues/images/failed?from=1&count=20")).andExpect(jsonPath("$").isEmpty());
			mvc.perform(get("/cohort/api/queues/nothing/delayed"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$").isEmpty());
			assertThat(operations(context).pages()).containsExactly("waiting images 0 50", "delayed images 0 20",
					"failed images 0 500", "waiting images 20 20", "failed images 1 20", "delayed nothing 0 50");
		});
	}

	@Test
	void refusesBadPagesOfJobs() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			for (String list : List.of("waiting", "delayed", "failed")) {
				String path = "/cohort/api/queues/images/" + list;
				mvc.perform(get(path + "?from=-1"))
					.andExpect(status().isBadRequest())
					.andExpect(jsonPath("$.message").value("'from' must be 0 or more"));
				mvc.perform(get(path + "?count=0"))
					.andExpect(status().isBadRequest())
					.andExpect(jsonPath("$.message").value("'count' must be between 1 and 500"));
				mvc.perform(get(path + "?count=501")).andExpect(status().isBadRequest());
				mvc.perform(get(path + "?from=first")).andExpect(status().isBadRequest());
			}
			mvc.perform(get("/cohort/api/queues/images/running")).andExpect(status().isNotFound());
			assertThat(operations(context).pages()).isEmpty();
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
			mvc.perform(write("/cohort/api/queues/images/pause")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/queues/images/resume")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/queues/images/jobs/delete-all")).andExpect(jsonPath("$.count").value(3));
			mvc.perform(write("/cohort/api/recurring/nightly-report/pause")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(write("/cohort/api/recurring/nightly-report/resume")).andExpect(jsonPath("$.done").value(true));
			mvc.perform(get("/cohort/api/jobs/job-1/retry")).andExpect(status().isMethodNotAllowed());
			mvc.perform(get("/cohort/api/queues/images/pause")).andExpect(status().isMethodNotAllowed());
			mvc.perform(get("/cohort/api/recurring/nightly-report/resume")).andExpect(status().isMethodNotAllowed());
			assertThat(operations(context).writes()).containsExactly("retry job-1 by anonymous",
					"delete job-2 by anonymous", "cancel job-3 by anonymous", "retry job-1 by anonymous",
					"retry job-9 by anonymous", "delete job-1 by anonymous", "retry-all images by anonymous",
					"delete-all images by anonymous", "release orders:42 by anonymous", "disconnect c-1 by anonymous",
					"pause images by anonymous", "resume images by anonymous", "delete-queue images by anonymous",
					"pause-recurring nightly-report by anonymous", "resume-recurring nightly-report by anonymous");
		});
	}

	@Test
	void theQueueAndRecurringControlsNeedTheDashboardsHeader() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			for (String path : List.of("queues/images/pause", "queues/images/resume", "queues/images/jobs/delete-all",
					"recurring/nightly-report/pause", "recurring/nightly-report/resume")) {
				mvc.perform(post("/cohort/api/" + path))
					.andExpect(status().isForbidden())
					.andExpect(jsonPath("$.message").value(containsString(DashboardInterceptor.WRITE_HEADER)));
			}
			assertThat(operations(context).writes()).isEmpty();
		});
	}

	private static RecordingClusterOperations operations(ApplicationContext context) {
		return context.getBean(RecordingClusterOperations.class);
	}

	private static MockHttpServletRequestBuilder write(String path) {
		return post(path).header(DashboardInterceptor.WRITE_HEADER, "1");
	}

}
