package dev.cohort.testapp;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Authenticates a WebSocket client as the user its handshake's {@code user} query
 * parameter names, as an application's own {@code HandshakeHandler} would; otherwise the
 * request's principal ({@link HeaderAuthenticationFilter}) is the user, if any.
 */
public class QueryHandshakeHandler extends DefaultHandshakeHandler {

	@Override
	protected @Nullable Principal determineUser(ServerHttpRequest request, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String user = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("user");
		return (user != null) ? () -> user : super.determineUser(request, wsHandler, attributes);
	}

}
