package dev.cohort.connections.internal;

import java.net.InetSocketAddress;
import java.util.Map;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses, with HTTP 401, a WebSocket handshake whose request carries no authenticated
 * principal ({@code cluster.connections.require-authentication}). Each refusal is counted
 * ({@code unauthenticated}) and logged, at most once in ten seconds.
 */
public class AuthenticationRequired implements HandshakeInterceptor {

	/** The reason each refusal is counted under. */
	public static final String REASON = "unauthenticated";

	private static final Log logger = LogFactory.getLog(AuthenticationRequired.class);

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final ClusterMetrics metrics;

	public AuthenticationRequired(ClusterMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (request.getPrincipal() != null) {
			return true;
		}
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		this.metrics.clientFrameRefused(REASON);
		InetSocketAddress remote = request.getRemoteAddress();
		this.rateLimited.warn(REASON,
				"Refused an anonymous WebSocket handshake from "
						+ ((remote != null) ? remote.getHostString() : "unknown")
						+ " with 401, as cluster.connections.require-authentication is true",
				null);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
