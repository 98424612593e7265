package dev.cohort.testapp;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates an HTTP request (a WebSocket handshake among them) as the user its
 * {@value #HEADER} header names, as Spring Security would from a session or token; a
 * request without it stays anonymous.
 */
public class HeaderAuthenticationFilter extends OncePerRequestFilter {

	/** The header that names the user. */
	public static final String HEADER = "X-Test-User";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String user = request.getHeader(HEADER);
		if (user == null) {
			chain.doFilter(request, response);
			return;
		}
		Principal principal = () -> user;
		chain.doFilter(new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return principal;
			}

		}, response);
	}

}
