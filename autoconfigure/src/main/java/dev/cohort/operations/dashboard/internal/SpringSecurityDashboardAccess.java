package dev.cohort.operations.dashboard.internal;

import dev.cohort.operations.dashboard.DashboardAccess;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.util.StringUtils;

/**
 * The dashboard's access with Spring Security: an authenticated user with the role, and
 * for a write, Spring Security's CSRF protection having run on the request with the token
 * sent in its header.
 * <p>
 * It checks inside the dashboard rather than through a {@code SecurityFilterChain} bean
 * of its own, because such a bean would make Boot's default web security back off for the
 * whole application. The application's own filter chain authenticates the user (and may
 * require more); this only makes sure that no chain lets strangers in.
 */
public final class SpringSecurityDashboardAccess implements DashboardAccess {

	private final String authority;

	private final SecurityContextHolderStrategy contexts;

	private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	/**
	 * Creates the access check.
	 * @param role the role a user needs, with or without the {@code ROLE_} prefix
	 * @param contexts where the current user is
	 */
	public SpringSecurityDashboardAccess(String role, SecurityContextHolderStrategy contexts) {
		this.authority = role.startsWith("ROLE_") ? role : "ROLE_" + role;
		this.contexts = contexts;
	}

	/**
	 * Creates the access check on the default {@link SecurityContextHolder}.
	 * @param role the role a user needs
	 */
	public SpringSecurityDashboardAccess(String role) {
		this(role, SecurityContextHolder.getContextHolderStrategy());
	}

	@Override
	public Decision check(HttpServletRequest request, boolean write) {
		Authentication user = this.contexts.getContext().getAuthentication();
		if (user == null || !user.isAuthenticated() || this.trust.isAnonymous(user)) {
			return Decision.refuse(401, "Sign in to use the Cohort dashboard");
		}
		boolean hasRole = user.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch(this.authority::equals);
		if (!hasRole) {
			return Decision.refuse(403, "The Cohort dashboard needs the authority '" + this.authority
					+ "' (cluster.dashboard.role), which '" + user.getName() + "' does not have");
		}
		if (write) {
			// The CsrfFilter puts the token in the request whenever it runs: without it,
			// CSRF protection is off for this request and a write could be forged.
			if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
				return Decision.refuse(403, "The Cohort dashboard refuses writes without Spring Security's CSRF "
						+ "protection: keep CSRF enabled for the dashboard's path (see docs/dashboard.md)");
			}
			if (!StringUtils.hasText(request.getHeader(token.getHeaderName()))) {
				return Decision.refuse(403, "A write to the Cohort dashboard must send its CSRF token in the header '"
						+ token.getHeaderName() + "' (read it from <dashboard path>/api/csrf)");
			}
		}
		return Decision.allow(user.getName());
	}

	@Override
	public @Nullable Csrf csrf(HttpServletRequest request) {
		if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
			return new Csrf(token.getHeaderName(), token.getToken());
		}
		return null;
	}

}
