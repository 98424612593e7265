package dev.cohort.sample.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The sample's web security: Cohort's dashboard ({@code cluster.dashboard.*}) and its
 * {@code cluster} actuator endpoint need a signed-in user with the dashboard's role,
 * through a login form or HTTP Basic; every other endpoint of the sample stays open, as
 * it was before Spring Security came in.
 * <p>
 * Defining this {@link SecurityFilterChain} replaces Boot's default one (which would ask
 * for a login everywhere): the application decides, and the dashboard checks the role and
 * the CSRF token again on its own, whatever the chain says.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain sampleSecurity(HttpSecurity http, @Value("${cluster.dashboard.path:/cohort}") String dashboard,
			@Value("${cluster.dashboard.role:COHORT_ADMIN}") String role) throws Exception {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(dashboard, dashboard + "/", dashboard + "/assets/**", dashboard + "/api/**")
			.hasRole(role)
			// Cohort's actuator endpoint shows and changes the same things as the
			// dashboard.
			.requestMatchers("/actuator/cluster", "/actuator/cluster/**")
			.hasRole(role)
			.anyRequest()
			.permitAll());
		http.formLogin((login) -> login.defaultSuccessUrl(dashboard + "/"));
		// Scripts read /actuator/cluster with HTTP Basic (curl -u admin:admin); its
		// writes
		// still need a CSRF token, as the dashboard's do.
		http.httpBasic((basic) -> basic.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
		// The dashboard's page reads its API with fetch: a 401, not the login form's
		// HTML.
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
				new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), paths.matcher(dashboard + "/api/**")));
		// CSRF protection stays on for the dashboard and the login form. The sample's own
		// JSON endpoints, which curl and its tests call without a session, keep working
		// without a token, as before.
		http.csrf(
				(csrf) -> csrf.ignoringRequestMatchers(paths.matcher("/cluster/**"), paths.matcher("/announcements/**"),
						paths.matcher("/rpc/**"), paths.matcher("/cache/**"), paths.matcher("/tasks/**")));
		return http.build();
	}

	/**
	 * One user for the dashboard, from {@code sample.dashboard.username} and
	 * {@code password} ({@code admin}/{@code admin} unless set). A demo only: a real
	 * application takes its users from where it keeps them, with hashed passwords.
	 */
	@Bean
	UserDetailsService sampleUsers(@Value("${sample.dashboard.username:admin}") String username,
			@Value("${sample.dashboard.password:admin}") String password,
			@Value("${cluster.dashboard.role:COHORT_ADMIN}") String role) {
		return new InMemoryUserDetailsManager(
				User.withUsername(username).password("{noop}" + password).roles(role).build());
	}

}
