package dev.cohort.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Cohort's WebSocket endpoint: speaks the JSON protocol of
 * {@code docs/connections-and-chat.md}. A malformed, unknown or oversized frame gets an
 * {@code error} frame and the connection stays open; each is counted in the log at a
 * limited rate.
 */
public class ClusterWebSocketHandler extends TextWebSocketHandler {

	private static final String CONNECTION = ClusterWebSocketHandler.class.getName() + ".connection";

	private static final Log logger = LogFactory.getLog(ClusterWebSocketHandler.class);

	/**
	 * Refusals of input no well-behaved client sends: logged at WARN, at a limited rate.
	 */
	private static final Set<String> BAD_INPUT = Set.of("malformed", "too-large", "unknown-event", "bad-request");

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final ConnectionHub hub;

	private final int maxMessageSize;

	private final ClusterMetrics metrics;

	public ClusterWebSocketHandler(ConnectionHub hub, int maxMessageSize, ClusterMetrics metrics) {
		this.hub = hub;
		this.maxMessageSize = maxMessageSize;
		this.metrics = metrics;
	}

	/**
	 * The largest frame a client may send.
	 * @return the size in bytes
	 */
	public int getMaxMessageSize() {
		return this.maxMessageSize;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		// Frames to one client queue rather than clash; a client too slow for 10 s or
		// 512 KB behind is dropped.
		WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, 10_000, 512 * 1024);
		InetSocketAddress remote = session.getRemoteAddress();
		String address = (remote != null) ? remote.getHostString() + ":" + remote.getPort() : "unknown";
		session.getAttributes().put(CONNECTION, this.hub.open(new SessionChannel(concurrent), address));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		LocalConnection connection = (LocalConnection) session.getAttributes().get(CONNECTION);
		if (connection == null) {
			return;
		}
		if (message.getPayloadLength() > this.maxMessageSize) {
			refuse(connection, null, null, "too-large",
					"Frames may not exceed " + this.maxMessageSize + " bytes (cluster.connections.max-message-size)");
			return;
		}
		JsonNode request;
		try {
			request = this.hub.mapper().readTree(message.getPayload());
		}
		catch (JacksonException ex) {
			refuse(connection, null, null, "malformed", "A frame must be a JSON object");
			return;
		}
		if (!request.isObject() || !request.path("event").isString()) {
			refuse(connection, null, null, "malformed", "A frame must be a JSON object with an 'event'");
			return;
		}
		String event = request.get("event").stringValue();
		String requestId = request.path("requestId").isString() ? request.get("requestId").stringValue() : null;
		try {
			JsonNode data = handle(connection, event, request);
			ObjectNode response = this.hub.frame("response");
			response.put("requestId", requestId);
			response.put("request", event);
			response.set("data", data);
			connection.send(response.toString());
		}
		catch (ChatRoomException ex) {
			refuse(connection, requestId, event, ex.getCode(), ex.getMessage());
		}
		catch (ChatRefusedException ex) {
			refuse(connection, requestId, event, "refused", ex.getMessage());
		}
		catch (BadRequest ex) {
			refuse(connection, requestId, event, ex.code, ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Request '" + event + "' of connection " + connection.id() + " failed", ex);
			refuse(connection, requestId, event, "failed", "The request failed on the server");
		}
	}

	private JsonNode handle(LocalConnection connection, String event, JsonNode request) {
		return switch (event) {
			case "roomJoin" -> {
				String room = room(request);
				this.hub.join(connection, room);
				yield roomData(room);
			}
			case "roomLeave" -> {
				String room = room(request);
				this.hub.leave(connection, room);
				yield roomData(room);
			}
			case "say" -> {
				String room = room(request);
				if (!request.has("message")) {
					throw new BadRequest("bad-request", "'say' needs a 'message'");
				}
				this.hub.say(connection, room, this.hub.mapper().treeToValue(request.get("message"), Object.class));
				yield roomData(room);
			}
			case "detailsView" -> this.hub.mapper().valueToTree(connection.info(this.hub.nodeId()));
			case "roomView" -> roomView(room(request));
			default -> throw new BadRequest("unknown-event", "Unknown event '" + event + "'");
		};
	}

	private JsonNode roomView(String room) {
		List<RoomMember> members = this.hub.members(room);
		ObjectNode data = roomData(room);
		ArrayNode list = data.putArray("members");
		members.forEach((member) -> list.add(this.hub.mapper().valueToTree(member)));
		return data;
	}

	private ObjectNode roomData(String room) {
		ObjectNode data = this.hub.mapper().createObjectNode();
		data.put("room", room);
		return data;
	}

	private static String room(JsonNode request) {
		JsonNode room = request.get("room");
		if (room == null || !room.isString() || room.stringValue().isBlank()) {
			throw new BadRequest("bad-request", "The request needs a 'room'");
		}
		return room.stringValue();
	}

	private void refuse(LocalConnection connection, @Nullable String requestId, @Nullable String request, String code,
			String message) {
		this.metrics.clientFrameRefused(code);
		String line = "Refused a frame of connection " + connection.id() + " (" + code + "): " + message;
		if (BAD_INPUT.contains(code)) {
			this.rateLimited.warn("refused:" + code, line);
		}
		else {
			// A client's ordinary mistake (not in the room, no such room, refused by
			// middleware): the client hears of it, the log need not.
			logger.debug(line);
		}
		ObjectNode error = this.hub.frame("error");
		if (requestId != null) {
			error.put("requestId", requestId);
		}
		if (request != null) {
			error.put("request", request);
		}
		error.put("error", code);
		error.put("message", message);
		connection.send(error.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Object connection = session.getAttributes().remove(CONNECTION);
		if (connection instanceof LocalConnection local) {
			this.hub.closed(local);
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Transport error on a WebSocket connection", exception);
	}

	private record SessionChannel(WebSocketSession session) implements ClientChannel {

		@Override
		public void send(String frame) {
			try {
				this.session.sendMessage(new TextMessage(frame));
			}
			catch (SessionLimitExceededException ex) {
				// The client reads too slowly: it would only miss more frames.
				logger.debug("Closing WebSocket session " + this.session.getId() + ": " + ex.getMessage());
				close(CloseStatus.SESSION_NOT_RELIABLE);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not send to WebSocket session " + this.session.getId(), ex);
			}
		}

		@Override
		public void close(String reason) {
			close(CloseStatus.NORMAL.withReason(reason));
		}

		private void close(CloseStatus status) {
			try {
				this.session.close(status);
			}
			catch (IOException ex) {
				logger.debug("Could not close WebSocket session " + this.session.getId(), ex);
			}
		}

	}

	private static final class BadRequest extends RuntimeException {

		private final String code;

		BadRequest(String code, String message) {
			super(message);
			this.code = code;
		}

	}

}
