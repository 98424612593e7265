package dev.cohort.operations.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request may use the dashboard, and who asks.
 */
public interface DashboardAccess {

	/**
	 * Checks one request to the dashboard's page or API.
	 * @param request the request
	 * @param write whether it changes the cluster (a POST)
	 * @return the decision
	 */
	Decision check(HttpServletRequest request, boolean write);

	/**
	 * The CSRF token the page must send with its writes.
	 * @param request the request
	 * @return the token, or {@code null} if writes need none
	 */
	default @Nullable Csrf csrf(HttpServletRequest request) {
		return null;
	}

	/**
	 * A CSRF token and the header that carries it.
	 *
	 * @param headerName the header
	 * @param token the token
	 */
	record Csrf(String headerName, String token) {
	}

	/**
	 * What {@link #check} decided.
	 *
	 * @param status {@code 200} if allowed, else the HTTP status to answer
	 * @param actor who asks, when allowed
	 * @param message why not, when refused
	 */
	record Decision(int status, @Nullable String actor, @Nullable String message) {

		/**
		 * Allows the request.
		 * @param actor who asks, as write operations log it
		 * @return the decision
		 */
		public static Decision allow(String actor) {
			return new Decision(200, actor, null);
		}

		/**
		 * Refuses the request.
		 * @param status the HTTP status, 401 or 403
		 * @param message why, for the user
		 * @return the decision
		 */
		public static Decision refuse(int status, String message) {
			return new Decision(status, null, message);
		}

		/**
		 * Whether the request may go on.
		 * @return whether allowed
		 */
		public boolean allowed() {
			return this.actor != null;
		}

	}

}
