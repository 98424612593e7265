package dev.cohort.sample.security;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The sample's web security: Cohort's dashboard ({@code cluster.dashboard.*}) and its
 * {@code cluster} actuator endpoint need a signed-in user with the dashboard's role,
 * through a login form or HTTP Basic; the chat page ({@code /chat.html}) and Cohort's
 * WebSocket endpoint ({@code cluster.connections.path}) need a signed-in user, whose name
 * becomes the WebSocket connection's user (what other chat clients see of it); every
 * other endpoint of the sample stays open, as it was before Spring Security came in.
 * <p>
 * Defining this {@link SecurityFilterChain} replaces Boot's default one (which would ask
 * for a login everywhere): the application decides, and the dashboard checks the role and
 * the CSRF token again on its own, whatever the chain says.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * The chat's demo users and their passwords: for trying the sample only, never for an
	 * application that anyone else can reach.
	 */
	static final Map<String, String> CHAT_USERS = Map.of("alice", "alice", "bob", "bob", "carol", "carol");

	@Bean
	SecurityFilterChain sampleSecurity(HttpSecurity http, @Value("${cluster.dashboard.path:/cohort}") String dashboard,
			@Value("${cluster.dashboard.role:COHORT_ADMIN}") String role,
			@Value("${cluster.connections.path:/cohort/ws}") String webSocket) throws Exception {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(dashboard, dashboard + "/", dashboard + "/assets/**", dashboard + "/api/**")
			.hasRole(role)
			// Cohort's actuator endpoint shows and changes the same things as the
			// dashboard.
			.requestMatchers("/actuator/cluster", "/actuator/cluster/**")
			.hasRole(role)
			// The chat: any signed-in user (the WebSocket handshake is an ordinary HTTP
			// request, with the session's login).
			.requestMatchers("/chat.html", webSocket)
			.authenticated()
			.anyRequest()
			.permitAll());
		// Back to the page that asked for the login (the chat page, the dashboard), else
		// to the dashboard for its role and to the chat for everyone else.
		http.formLogin((login) -> login.successHandler(new BackToThePage(dashboard + "/", role)));
		http.logout((logout) -> logout.logoutSuccessUrl("/login?logout"));
		// Scripts read /actuator/cluster with HTTP Basic (curl -u admin:admin); its
		// writes
		// still need a CSRF token, as the dashboard's do.
		http.httpBasic((basic) -> basic.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
		// The dashboard's page reads its API with fetch: a 401, not the login form's
		// HTML.
		http.exceptionHandling((exceptions) -> exceptions
			.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					paths.matcher(dashboard + "/api/**"))
			// A WebSocket client cannot follow a redirect to a form: a 401.
			.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					paths.matcher(webSocket)));
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
	 * {@code password} ({@code admin}/{@code admin} unless set), and the chat's demo
	 * users, {@code alice}, {@code bob} and {@code carol}, each with its name for
	 * password ({@link #CHAT_USERS}). A demo only: a real application takes its users
	 * from where it keeps them, with hashed passwords.
	 */
	@Bean
	UserDetailsService sampleUsers(@Value("${sample.dashboard.username:admin}") String username,
			@Value("${sample.dashboard.password:admin}") String password,
			@Value("${cluster.dashboard.role:COHORT_ADMIN}") String role) {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername(username).password("{noop}" + password).roles(role).build());
		CHAT_USERS.forEach((name, secret) -> users
			.createUser(User.withUsername(name).password("{noop}" + secret).roles("CHAT").build()));
		// Only its lookup, not the manager itself: as a UserDetailsPasswordService the
		// manager would let Spring Security "upgrade" each {noop} password to bcrypt at
		// its first login, and then check every login with bcrypt. Each HTTP Basic login
		// costs that (a WebSocket handshake of a client that is no browser, such as the
		// 200 of RollingRestartTests at once): tens of milliseconds of CPU each.
		return users::loadUserByUsername;
	}

	/**
	 * Checks logins against {@link #sampleUsers}, with its one-time cost paid at start.
	 * <p>
	 * At its first login, Spring Security's provider hashes a dummy password with bcrypt
	 * (so that a login of an unknown user takes as long as one of a known user), and
	 * every login that arrives before that hash is ready computes it too. A node that
	 * starts into a storm of reconnecting WebSocket clients, each sending HTTP Basic,
	 * computed it once per client: in RollingRestartTests 100 handshakes at once took
	 * over 5 s and timed out. The provider here computes it before the node serves
	 * anyone.
	 */
	@Bean
	DaoAuthenticationProvider sampleLogins(UserDetailsService sampleUsers) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(sampleUsers);
		try {
			provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("", ""));
		}
		catch (AuthenticationException expected) {
			// No user has an empty name: the dummy hash is ready now.
		}
		return provider;
	}

	/**
	 * After a login: the page that asked for it, if any (Spring Security saved it);
	 * otherwise the dashboard for a user with its role, the chat page for the others.
	 */
	private static final class BackToThePage extends SavedRequestAwareAuthenticationSuccessHandler {

		private final String dashboard;

		private final String role;

		BackToThePage(String dashboard, String role) {
			this.dashboard = dashboard;
			this.role = "ROLE_" + role;
		}

		@Override
		protected String determineTargetUrl(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) {
			boolean admin = authentication.getAuthorities()
				.stream()
				.anyMatch((authority) -> this.role.equals(authority.getAuthority()));
			return admin ? this.dashboard : "/chat.html";
		}

	}

}
