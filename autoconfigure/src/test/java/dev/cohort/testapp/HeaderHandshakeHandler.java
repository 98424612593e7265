package dev.cohort.testapp;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Authenticates a WebSocket client as the user its {@value #HEADER} header names, as an
 * application's {@code HandshakeHandler} or Spring Security would; a client without it
 * stays anonymous.
 */
public class HeaderHandshakeHandler extends DefaultHandshakeHandler {

	/** The header that names the user. */
	public static final String HEADER = "X-Test-User";

	@Override
	protected @Nullable Principal determineUser(ServerHttpRequest request, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String user = request.getHeaders().getFirst(HEADER);
		return (user != null) ? () -> user : super.determineUser(request, wsHandler, attributes);
	}

}
