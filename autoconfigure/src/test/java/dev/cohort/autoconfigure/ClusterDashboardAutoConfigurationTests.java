package dev.cohort.autoconfigure;

import java.util.List;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.dashboard.RecordingClusterOperations;
import dev.cohort.operations.dashboard.internal.AnonymousDashboardAccess;
import dev.cohort.operations.dashboard.internal.DashboardController;
import dev.cohort.operations.dashboard.internal.SpringSecurityDashboardAccess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's auto-configuration: when it is there, and who may use it, with and
 * without Spring Security.
 */
class ClusterDashboardAutoConfigurationTests {

	private static final AutoConfigurations WEB = AutoConfigurations.of(JacksonAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, ClusterDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(WEB)
		.withBean(ClusterOperations.class, RecordingClusterOperations::new);

	// Web security as an application gets it without a SecurityFilterChain of its own:
	// Spring Security's fallback chain (a login for every request), which is what Boot's
	// default web security sets up too, and which backs off for any SecurityFilterChain
	// bean.
	private final WebApplicationContextRunner secured = this.web.withUserConfiguration(WebSecurity.class)
		.withPropertyValues("cluster.dashboard.enabled=true");

	private final WebApplicationContextRunner withoutSecurity = this.web
		.withClassLoader(new FilteredClassLoader("org.springframework.security"))
		.withPropertyValues("cluster.dashboard.enabled=true");

	@Test
	void offUnlessEnabled() {
		this.web.withUserConfiguration(WebSecurity.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardController.class));
	}

	@Test
	void onlyOnServletWebApplications() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ClusterDashboardAutoConfiguration.class))
			.withBean(ClusterOperations.class, RecordingClusterOperations::new)
			.withPropertyValues("cluster.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardController.class));
	}

	@Test
	void withoutSpringSecurityItRefusesToStartAndSaysWhatToSet() {
		this.withoutSecurity.run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Spring Security is not on the classpath");
			assertThat(analysis.getAction()).contains("spring-boot-starter-security")
				.contains("cluster.dashboard.allow-anonymous=true")
				.contains("cluster.dashboard.enabled=false");
			assertThat(analysis.getCause()).isInstanceOf(ClusterConfigurationException.class);
		});
	}

	@Test
	void withoutSpringSecurityAnonymousUseIsAnOptIn() {
		this.withoutSecurity.withPropertyValues("cluster.dashboard.allow-anonymous=true").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(AnonymousDashboardAccess.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/cohort/api/overview")).andExpect(status().isOk());
			// A write without the dashboard's header could be a cross-site form.
			mvc.perform(post("/cohort/api/jobs/job-1/retry"))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("X-Cohort-Dashboard")));
			mvc.perform(post("/cohort/api/jobs/job-1/retry").header("X-Cohort-Dashboard", "1"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.done").value(true));
			assertThat(operations(context).writes()).containsExactly("retry job-1 by anonymous");
		});
	}

	@Test
	void aBadPathFailsAtStartUp() {
		this.withoutSecurity.withPropertyValues("cluster.dashboard.allow-anonymous=true", "cluster.dashboard.path=ops/")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("cluster.dashboard.path 'ops/'");
				assertThat(analysis.getAction()).contains("Set cluster.dashboard.path");
			});
	}

	@Test
	void withSpringSecurityTheDefaultWebSecurityStaysForTheRestOfTheApplication() {
		this.secured.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SpringSecurityDashboardAccess.class);
			// No SecurityFilterChain bean, which would make the default chain back off.
			assertThat(context).doesNotHaveBean(SecurityFilterChain.class);
			MockMvc mvc = secure(context);
			assertThat(mvc.perform(get("/anything-else")).andReturn().getResponse().getStatus()).isIn(401, 302);
			assertThat(mvc.perform(get("/cohort/api/overview")).andReturn().getResponse().getStatus()).isIn(401, 302);
		});
	}

	@Test
	void withSpringSecurityTheUserNeedsTheRole() {
		this.secured.run((context) -> {
			MockMvc mvc = secure(context);
			mvc.perform(get("/cohort/api/overview").with(user("bob").roles("USER")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("ROLE_COHORT_ADMIN")));
			mvc.perform(get("/cohort/").with(user("bob").roles("USER"))).andExpect(status().isForbidden());
			mvc.perform(get("/cohort/api/overview").with(user("alice").roles("COHORT_ADMIN")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.nodes[0].id").value("node-1"));
			mvc.perform(post("/cohort/api/jobs/job-1/retry").with(user("bob").roles("USER"))
				.with(csrf().asHeader())
				.header("X-Cohort-Dashboard", "1")).andExpect(status().isForbidden());
			assertThat(operations(context).writes()).isEmpty();
		});
	}

	@Test
	void withSpringSecurityWritesNeedTheCsrfTokenAndNameTheUser() {
		this.secured.run((context) -> {
			MockMvc mvc = secure(context);
			mvc.perform(post("/cohort/api/jobs/job-1/retry").with(user("alice").roles("COHORT_ADMIN"))
				.header("X-Cohort-Dashboard", "1")).andExpect(status().isForbidden());
			mvc.perform(post("/cohort/api/jobs/job-1/retry").with(user("alice").roles("COHORT_ADMIN"))
				.with(csrf().asHeader())
				.header("X-Cohort-Dashboard", "1"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.done").value(true));
			mvc.perform(get("/cohort/api/csrf").with(user("alice").roles("COHORT_ADMIN")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.user").value("alice"))
				.andExpect(jsonPath("$.headerName").value("X-CSRF-TOKEN"))
				.andExpect(jsonPath("$.token").isNotEmpty())
				.andExpect(jsonPath("$.writeHeader").value("X-Cohort-Dashboard"));
			assertThat(operations(context).writes()).containsExactly("retry job-1 by alice");
		});
	}

	@Test
	void withSpringSecurityTheQueueAndRecurringControlsNeedTheCsrfTokenAndNameTheUser() {
		this.secured.run((context) -> {
			MockMvc mvc = secure(context);
			List<String> paths = List.of("queues/images/pause", "queues/images/resume", "queues/images/jobs/delete-all",
					"recurring/nightly-report/pause", "recurring/nightly-report/resume");
			for (String path : paths) {
				mvc.perform(post("/cohort/api/" + path).with(user("alice").roles("COHORT_ADMIN"))
					.header("X-Cohort-Dashboard", "1")).andExpect(status().isForbidden());
			}
			assertThat(operations(context).writes()).isEmpty();
			for (String path : paths) {
				mvc.perform(post("/cohort/api/" + path).with(user("alice").roles("COHORT_ADMIN"))
					.with(csrf().asHeader())
					.header("X-Cohort-Dashboard", "1")).andExpect(status().isOk());
			}
			assertThat(operations(context).writes()).containsExactly("pause images by alice", "resume images by alice",
					"delete-queue images by alice", "pause-recurring nightly-report by alice",
					"resume-recurring nightly-report by alice");
		});
	}

	@Test
	void aChainWithoutCsrfProtectionCannotWrite() {
		this.secured.withUserConfiguration(NoCsrfChain.class).run((context) -> {
			MockMvc mvc = secure(context);
			mvc.perform(get("/cohort/api/overview").with(user("alice").roles("COHORT_ADMIN")))
				.andExpect(status().isOk());
			mvc.perform(post("/cohort/api/jobs/job-1/retry").with(user("alice").roles("COHORT_ADMIN"))
				.header("X-Cohort-Dashboard", "1"))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("keep CSRF enabled")));
			assertThat(operations(context).writes()).isEmpty();
		});
	}

	@Test
	void pathAndRoleAreProperties() {
		this.secured.withPropertyValues("cluster.dashboard.path=/ops/cluster", "cluster.dashboard.role=OPERATOR")
			.run((context) -> {
				MockMvc mvc = secure(context);
				mvc.perform(get("/ops/cluster/api/overview").with(user("alice").roles("COHORT_ADMIN")))
					.andExpect(status().isForbidden());
				mvc.perform(get("/ops/cluster/api/overview").with(user("olga").roles("OPERATOR")))
					.andExpect(status().isOk());
				mvc.perform(get("/ops/cluster/").with(user("olga").roles("OPERATOR")))
					.andExpect(status().isOk())
					.andExpect(content().contentTypeCompatibleWith("text/html"))
					.andExpect(header().string("Content-Security-Policy",
							org.hamcrest.Matchers.containsString("script-src 'self'")));
				mvc.perform(get("/cohort/api/overview").with(user("olga").roles("OPERATOR")))
					.andExpect(status().isNotFound());
			});
	}

	private static MockMvc secure(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	private static RecordingClusterOperations operations(WebApplicationContext context) {
		return context.getBean(RecordingClusterOperations.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class WebSecurity {

	}

	@Configuration(proxyBeanMethods = false)
	static class NoCsrfChain {

		@Bean
		SecurityFilterChain noCsrf(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

	}

}
