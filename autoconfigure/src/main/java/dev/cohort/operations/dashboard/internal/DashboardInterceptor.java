package dev.cohort.operations.dashboard.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.cohort.operations.dashboard.DashboardAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards every request to the dashboard's page and API: asks the {@link DashboardAccess}
 * and answers a refusal itself (401 or 403, with a JSON body saying why), and hands the
 * allowed user's name to the controller as the actor of writes.
 * <p>
 * A write (any method but GET and HEAD) must also carry the {@value #WRITE_HEADER}
 * header, which the page sends: a cross-site form cannot, and a cross-site script cannot
 * without the application's CORS consent. With Spring Security it adds to the CSRF token;
 * without it, it is the only guard against forged writes.
 */
public final class DashboardInterceptor implements HandlerInterceptor {

	/** The request attribute that holds who asks. */
	static final String ACTOR = "dev.cohort.operations.dashboard.internal.DashboardInterceptor.actor";

	/** The header every write must carry. */
	public static final String WRITE_HEADER = "X-Cohort-Dashboard";

	private final DashboardAccess access;

	/**
	 * Creates the guard.
	 * @param access who may use the dashboard
	 */
	public DashboardInterceptor(DashboardAccess access) {
		this.access = access;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		boolean write = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
		DashboardAccess.Decision decision = this.access.check(request, write);
		if (!decision.allowed()) {
			refuse(response, decision.status(), String.valueOf(decision.message()));
			return false;
		}
		if (write && !StringUtils.hasText(request.getHeader(WRITE_HEADER))) {
			refuse(response, 403, "A write to the Cohort dashboard must send the header '" + WRITE_HEADER
					+ "' (the dashboard's page does)");
			return false;
		}
		request.setAttribute(ACTOR, decision.actor());
		return true;
	}

	private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"status\":" + status + ",\"message\":" + jsonString(message) + "}");
	}

	private static String jsonString(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c == '<' || c == '>') {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

}
