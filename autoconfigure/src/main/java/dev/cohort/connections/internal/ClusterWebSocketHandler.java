package dev.cohort.connections.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.connections.RoomAuthorizer;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Cohort's WebSocket endpoint: speaks the JSON protocol of
 * {@code docs/connections-and-chat.md}. A malformed, unknown or oversized frame gets an
 * {@code error} frame and the connection stays open; each is counted in the log at a
 * limited rate, with the client's text sanitised.
 * <p>
 * The web server's threads only hand work over: each connection's opening, frames and
 * closing run in order on Cohort's {@code cohort-connection-<n>} threads (a frame beyond
 * the connection's {@link WebSocketLimits#maxQueuedRequests} waiting is answered
 * {@code busy}), and frames to a client are queued in its {@link ClientOutbox}, never
 * written by the thread that sends them. While Redis is known to be unreachable, requests
 * that need it are answered {@code unavailable} at once.
 * <p>
 * The bounds of {@link WebSocketLimits}: a handshake beyond
 * {@link WebSocketLimits#maxConnections} is refused (HTTP 503, see
 * {@link #connectionLimit()}); a frame beyond the client's {@link MessageRate} is
 * answered {@code rate-limited}, and a client that floods is closed (1008); a
 * {@code roomJoin} beyond {@link WebSocketLimits#maxRoomsPerConnection} is answered
 * {@code too-many-rooms}; a client that reads too slowly is closed by its
 * {@link ClientOutbox}. Each is counted and logged at a limited rate.
 */
public class ClusterWebSocketHandler extends TextWebSocketHandler implements DisposableBean {

	private static final String CLIENT = ClusterWebSocketHandler.class.getName() + ".client";

	private static final Log logger = LogFactory.getLog(ClusterWebSocketHandler.class);

	/**
	 * Refusals of input no well-behaved client sends: logged at WARN, at a limited rate.
	 */
	private static final Set<String> BAD_INPUT = Set.of("malformed", "too-large", "unknown-event", "bad-request",
			"rate-limited", "too-many-rooms");

	/** The requests that need Redis: refused at once while it is unreachable. */
	private static final Set<String> NEED_REDIS = Set.of("roomJoin", "roomLeave", "say", "roomView");

	/**
	 * How a connection that cannot be registered, Redis being unreachable, is closed:
	 * 1011 rather than 1013 (try again later), which some clients (Tomcat's) take for a
	 * protocol error.
	 */
	private static final CloseStatus UNAVAILABLE = CloseStatus.SERVER_ERROR
		.withReason("the cluster is unavailable, try again later");

	/** How a client that sends too fast is closed. */
	static final CloseStatus FLOODING = CloseStatus.POLICY_VIOLATION
		.withReason("the client sends too fast (cluster.connections.messages-per-second)");

	/**
	 * The query parameter by which a client asks for several frames in one WebSocket
	 * message, one per line, when frames wait for it ({@code batch=1}, up to
	 * {@link WebSocketLimits#maxBatchSize}).
	 */
	static final String BATCH_PARAMETER = "batch";

	/**
	 * How a connection over {@link WebSocketLimits#maxConnections} is closed, when
	 * handshakes that passed the limit together open more than it.
	 */
	static final CloseStatus TOO_MANY_CONNECTIONS = CloseStatus.SERVICE_OVERLOAD
		.withReason("the node holds as many connections as it may, try again later");

	/**
	 * The web server's text buffer, in characters, when {@code max-message-size} is
	 * larger: Tomcat allocates it for every connection as it opens (twice as many bytes),
	 * and hands longer frames over in parts of this size. Chat frames are mostly shorter;
	 * a 64KB one comes in 64 parts, which {@link #supportsPartialMessages} puts together.
	 */
	public static final int TEXT_BUFFER_CHARS = 1024;

	/**
	 * The web server's binary buffer, in bytes: binary frames are refused anyway (1003).
	 */
	public static final int BINARY_BUFFER_BYTES = 1024;

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final ConnectionHub hub;

	private final WebSocketLimits limits;

	private final ClusterMetrics metrics;

	private final ConnectionThreads threads;

	/** The connections open, or opening, on this endpoint. */
	private final AtomicInteger open = new AtomicInteger();

	private RoomAuthorizer roomAuthorizer = RoomAuthorizer.denyingPrivate(List.of());

	public ClusterWebSocketHandler(ConnectionHub hub, int maxMessageSize, ClusterMetrics metrics) {
		this(hub, WebSocketLimits.DEFAULTS.withMaxMessageSize(maxMessageSize), metrics);
	}

	public ClusterWebSocketHandler(ConnectionHub hub, WebSocketLimits limits, ClusterMetrics metrics) {
		this.hub = hub;
		this.limits = limits;
		this.metrics = metrics;
		this.threads = new ConnectionThreads(limits.threads());
	}

	/**
	 * Sets what decides which rooms clients may join and view.
	 * @param roomAuthorizer the authorizer
	 */
	public void setRoomAuthorizer(RoomAuthorizer roomAuthorizer) {
		this.roomAuthorizer = roomAuthorizer;
	}

	/**
	 * The largest frame a client may send.
	 * @return the size in bytes
	 */
	public int getMaxMessageSize() {
		return this.limits.maxMessageSize();
	}

	/**
	 * The endpoint's limits.
	 * @return the limits
	 */
	public WebSocketLimits getLimits() {
		return this.limits;
	}

	/**
	 * The connections this endpoint holds, or is opening.
	 * @return how many
	 */
	public int connections() {
		return this.open.get();
	}

	/**
	 * Refuses handshakes (HTTP 503) while the endpoint holds
	 * {@link WebSocketLimits#maxConnections} connections.
	 * @return the interceptor to register with the endpoint
	 */
	public HandshakeInterceptor connectionLimit() {
		return new HandshakeInterceptor() {

			@Override
			public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
					WebSocketHandler handler, Map<String, Object> attributes) {
				if (!atConnectionLimit()) {
					return true;
				}
				refuseConnection(String.valueOf(request.getRemoteAddress()));
				response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
				return false;
			}

			@Override
			public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
					@Nullable Exception exception) {
			}

		};
	}

	private boolean atConnectionLimit() {
		int max = this.limits.maxConnections();
		return max > 0 && this.open.get() >= max;
	}

	private void refuseConnection(String address) {
		this.metrics.clientRefused("too-many-connections");
		this.rateLimited.warn("too-many-connections", "Refused a WebSocket connection from " + address
				+ ": the node holds " + this.open.get() + " (cluster.connections.max-connections)");
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		InetSocketAddress remote = session.getRemoteAddress();
		String address = (remote != null) ? remote.getHostString() + ":" + remote.getPort() : "unknown";
		int max = this.limits.maxConnections();
		if (this.open.incrementAndGet() > max && max > 0) {
			// Handshakes that passed the limit together.
			this.open.decrementAndGet();
			refuseConnection(address);
			FrameWriters.of(session, this.threads.writers(), this.limits.sendTimeLimit()).close(TOO_MANY_CONNECTIONS);
			return;
		}
		FrameWriter writer = FrameWriters.of(session, this.threads.writers(), this.limits.sendTimeLimit());
		int batchLimit = takesBatches(session) ? this.limits.maxBatchSize() : 0;
		ClientOutbox outbox = new ClientOutbox(writer, this.limits.sendBufferLimit(), this.limits.sendTimeLimit(),
				() -> tooSlow(address), batchLimit);
		MessageRate rate = (this.limits.messagesPerSecond() > 0)
				? new MessageRate(this.limits.messagesPerSecond(), this.limits.messageBurst(), System.nanoTime())
				: null;
		Client client = new Client(outbox, new SerialInbox(this.threads.requests(), this.limits.maxQueuedRequests()),
				rate);
		session.getAttributes().put(CLIENT, client);
		Principal principal = session.getPrincipal();
		String user = (principal != null) ? principal.getName() : null;
		client.inbox.submit(() -> open(client, address, user));
	}

	/**
	 * Whether the client asked for several frames in one message ({@code batch=1} on the
	 * endpoint's URL).
	 */
	private static boolean takesBatches(WebSocketSession session) {
		URI uri = session.getUri();
		String batch = (uri != null)
				? UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(BATCH_PARAMETER) : null;
		return "1".equals(batch) || "true".equals(batch);
	}

	private void tooSlow(String address) {
		this.metrics.clientClosed("too-slow");
		this.rateLimited.warn("too-slow", "Closing the WebSocket connection of " + address
				+ ": it reads too slowly (cluster.connections.send-buffer-limit, send-time-limit)");
	}

	private void open(Client client, String address, @Nullable String user) {
		try {
			client.connection = this.hub.open(client.outbox, address, user);
		}
		catch (RuntimeException ex) {
			boolean outage = OutageBreaker.isOutage(ex);
			this.rateLimited.warn("open",
					"Could not open a WebSocket connection from " + address + ": " + ex.getMessage() + "; closing it",
					outage ? null : ex);
			client.outbox.closeNow(outage ? UNAVAILABLE : CloseStatus.SERVER_ERROR);
		}
	}

	/**
	 * Frames come in parts when they are longer than the web server's text buffer (kept
	 * small, since it is allocated for every connection, see {@link #TEXT_BUFFER_CHARS})
	 * or when the client fragments them: they are put together here, up to
	 * {@link WebSocketLimits#maxMessageSize}.
	 * @return {@code true}
	 */
	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		Client client = (Client) session.getAttributes().get(CLIENT);
		if (client == null) {
			return;
		}
		Request request = (message.isLast() && !client.assembling)
				? read(message.getPayload(), message.getPayloadLength()) : assemble(client, message);
		if (request == null) {
			return;
		}
		MessageRate rate = client.rate;
		if (rate != null && !withinRate(client, rate, request)) {
			return;
		}
		if (!client.inbox.offer(() -> process(client, request))) {
			// The frames before wait for a thread (Redis may be slow): this one is not
			// queued behind them, and the answer says so at once.
			refuse(client.outbox, client.id(), request.requestId(),
					(request.refusal() == null) ? request.event() : null, "busy",
					"Too many requests of this connection wait; try again later");
		}
	}

	/**
	 * Takes a frame from the client's rate: a frame beyond is answered
	 * {@code rate-limited}, and a client that floods is closed.
	 * @return whether to handle the frame
	 */
	private boolean withinRate(Client client, MessageRate rate, Request request) {
		MessageRate.Verdict verdict = rate.take(System.nanoTime());
		if (verdict == MessageRate.Verdict.ACCEPT) {
			return true;
		}
		if (verdict == MessageRate.Verdict.REFUSE) {
			refuse(client.outbox, client.id(), request.requestId(),
					(request.refusal() == null) ? request.event() : null, "rate-limited",
					"More than " + this.limits.messagesPerSecond()
							+ " frames a second (cluster.connections.messages-per-second); slow down");
		}
		else if (client.flooded.compareAndSet(false, true)) {
			this.metrics.clientClosed("flooding");
			this.rateLimited.warn("flooding", "Closing WebSocket connection " + client.id()
					+ ": it keeps sending faster than twice cluster.connections.messages-per-second");
			client.outbox.closeNow(FLOODING);
		}
		return false;
	}

	/**
	 * Adds a part of a frame, on the web server's thread (which delivers one session's
	 * parts in order). Beyond {@link WebSocketLimits#maxMessageSize} the text is dropped
	 * and the frame refused {@code too-large} once it ends; beyond twice that the
	 * connection is closed with 1009, as the web server would close it.
	 * @return the frame once its last part came, else {@code null}
	 */
	private @Nullable Request assemble(Client client, TextMessage part) {
		int max = this.limits.maxMessageSize();
		client.assembling = true;
		client.assembledBytes += part.getPayloadLength();
		if (client.assembledBytes > 2L * max) {
			client.assembleDone();
			this.metrics.clientFrameRefused("too-large");
			this.rateLimited.warn("refused:too-large-close",
					"Closed WebSocket connection " + client.id() + " (1009): a frame of more than " + 2L * max
							+ " bytes (twice cluster.connections.max-message-size)",
					null);
			client.outbox.closeNow(CloseStatus.TOO_BIG_TO_PROCESS);
			return null;
		}
		if (client.assembledBytes <= max) {
			StringBuilder text = client.assembled;
			if (text == null) {
				text = new StringBuilder(part.getPayload().length() * 2);
				client.assembled = text;
			}
			text.append(part.getPayload());
		}
		else {
			client.assembled = null;
		}
		if (!part.isLast()) {
			return null;
		}
		StringBuilder text = client.assembled;
		long bytes = client.assembledBytes;
		client.assembleDone();
		return (text != null) ? read(text.toString(), bytes) : read("", bytes);
	}

	/**
	 * Reads a frame, on the web server's thread: only parsing, never waiting.
	 */
	private Request read(String payload, long bytes) {
		if (bytes > this.limits.maxMessageSize()) {
			return Request.refused("too-large", "Frames may not exceed " + this.limits.maxMessageSize()
					+ " bytes (cluster.connections.max-message-size)");
		}
		JsonNode json;
		try {
			json = ClientJson.MAPPER.readTree(payload);
		}
		catch (JacksonException ex) {
			return Request.refused("malformed", "A frame must be a JSON object");
		}
		if (!json.isObject() || !json.path("event").isString()) {
			return Request.refused("malformed", "A frame must be a JSON object with an 'event'");
		}
		String event = json.get("event").stringValue();
		String requestId = json.path("requestId").isString() ? json.get("requestId").stringValue() : null;
		return new Request(event, requestId, json, null, null);
	}

	private void process(Client client, Request request) {
		LocalConnection connection = client.connection;
		if (connection == null) {
			return; // it could not be opened, and is closing
		}
		if (request.refusal() != null) {
			refuse(client.outbox, connection.id(), null, null, request.refusal(), request.refusalMessage());
			return;
		}
		String event = request.event();
		String requestId = request.requestId();
		try {
			JsonNode data = NEED_REDIS.contains(event)
					? this.hub.outages().call(() -> handle(connection, event, request.json()))
					: handle(connection, event, request.json());
			ObjectNode response = this.hub.frame("response");
			response.put("requestId", requestId);
			response.put("request", event);
			response.set("data", data);
			connection.send(response.toString());
		}
		catch (ChatRoomException ex) {
			refuse(client.outbox, connection.id(), requestId, event, ex.getCode(), ex.getMessage());
		}
		catch (ChatRefusedException ex) {
			refuse(client.outbox, connection.id(), requestId, event, "refused", ex.getMessage());
		}
		catch (BadRequest ex) {
			refuse(client.outbox, connection.id(), requestId, event, ex.code, ex.getMessage());
		}
		catch (RuntimeException ex) {
			if (OutageBreaker.isOutage(ex)) {
				refuse(client.outbox, connection.id(), requestId, event, "unavailable",
						"The cluster cannot reach Redis; try again later");
			}
			else {
				this.rateLimited.warn("failed:" + event,
						"Request '" + event + "' of connection " + connection.id() + " failed", ex);
				refuse(client.outbox, connection.id(), requestId, event, "failed", "The request failed on the server");
			}
		}
	}

	private JsonNode handle(LocalConnection connection, String event, JsonNode request) {
		return switch (event) {
			case "roomJoin" -> {
				String room = room(request);
				int maxRooms = this.limits.maxRoomsPerConnection();
				if (maxRooms > 0 && connection.rooms().size() >= maxRooms && !connection.rooms().contains(room)) {
					throw new BadRequest("too-many-rooms", "A connection may be in at most " + maxRooms
							+ " rooms (cluster.connections.max-rooms-per-connection); leave one first");
				}
				if (!this.roomAuthorizer.mayJoin(connection.info(this.hub.nodeId()), room)) {
					throw new ChatRefusedException("Room '" + room + "' is private");
				}
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
				this.hub.say(connection, room, request.get("message"));
				yield roomData(room);
			}
			case "detailsView" -> this.hub.mapper().valueToTree(connection.info(this.hub.nodeId()));
			case "roomView" -> {
				String room = room(request);
				// Members may view their room; whether others may is the authorizer's to
				// say.
				if (!connection.rooms().contains(room)
						&& !this.roomAuthorizer.mayView(connection.info(this.hub.nodeId()), room)) {
					throw new ChatRefusedException("Only members may view room '" + room + "'");
				}
				yield roomView(connection, room);
			}
			default -> throw new BadRequest("unknown-event", "Unknown event '" + RemoteText.name(event) + "'");
		};
	}

	/**
	 * The members of a room as a client sees them: their users, when they joined and
	 * their details (if they have some); their connection ids and nodes only for the
	 * client's own connection, or when {@link ConnectionHub#setShowConnectionIds shown}.
	 */
	private JsonNode roomView(LocalConnection connection, String room) {
		List<RoomMember> members = this.hub.members(room);
		ObjectNode data = roomData(room);
		ArrayNode list = data.putArray("members");
		boolean showIds = this.hub.showsConnectionIds();
		for (RoomMember member : members) {
			ObjectNode item = this.hub.mapper().valueToTree(member);
			if (member.details().isEmpty()) {
				// The frame of members without details stays as it was.
				item.remove("details");
			}
			if (!showIds && !member.connectionId().equals(connection.id())) {
				item.remove("connectionId");
				item.remove("nodeId");
			}
			list.add(item);
		}
		return data;
	}

	private ObjectNode roomData(String room) {
		ObjectNode data = ClientJson.MAPPER.createObjectNode();
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

	private void refuse(ClientChannel channel, String connectionId, @Nullable String requestId,
			@Nullable String request, String code, @Nullable String message) {
		this.metrics.clientFrameRefused(code);
		if (BAD_INPUT.contains(code) || code.equals("busy")) {
			this.rateLimited.warn("refused:" + code,
					"Refused a frame of connection " + connectionId + " (" + code + "): " + RemoteText.detail(message));
		}
		else if (logger.isDebugEnabled()) {
			// A client's ordinary mistake (not in the room, no such room, refused by
			// middleware), or Redis unreachable: the client hears of it, the log need
			// not.
			logger.debug(
					"Refused a frame of connection " + connectionId + " (" + code + "): " + RemoteText.detail(message));
		}
		ObjectNode error = this.hub.frame("error");
		if (requestId != null) {
			error.put("requestId", requestId);
		}
		if (request != null) {
			error.put("request", RemoteText.name(request));
		}
		error.put("error", code);
		error.put("message", message);
		channel.send(error.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Object attribute = session.getAttributes().remove(CLIENT);
		if (attribute instanceof Client client) {
			this.open.decrementAndGet();
			client.outbox.closed();
			client.inbox.submit(() -> {
				LocalConnection connection = client.connection;
				if (connection != null) {
					this.hub.closed(connection);
				}
			});
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Transport error on a WebSocket connection", exception);
	}

	/**
	 * Stops the endpoint's threads, once the connections are closed.
	 */
	@Override
	public void destroy() {
		this.threads.shutdown();
	}

	/**
	 * A WebSocket session as this handler sees it: its outbox, its inbox of work, and,
	 * once opened, its connection.
	 */
	private static final class Client {

		private final ClientOutbox outbox;

		private final SerialInbox inbox;

		/** How fast it may send, or {@code null} for no limit. */
		private final @Nullable MessageRate rate;

		/** Whether it was closed for flooding. */
		private final AtomicBoolean flooded = new AtomicBoolean();

		/** Set by the opening, which runs first in the inbox. */
		private volatile @Nullable LocalConnection connection;

		/**
		 * Whether a frame is coming in parts; only the web server's thread uses these.
		 */
		private boolean assembling;

		/** Its bytes so far. */
		private long assembledBytes;

		/** Its text so far, {@code null} once too large. */
		private @Nullable StringBuilder assembled;

		Client(ClientOutbox outbox, SerialInbox inbox, @Nullable MessageRate rate) {
			this.outbox = outbox;
			this.inbox = inbox;
			this.rate = rate;
		}

		void assembleDone() {
			this.assembling = false;
			this.assembledBytes = 0;
			this.assembled = null;
		}

		String id() {
			LocalConnection opened = this.connection;
			return (opened != null) ? opened.id() : "(not yet open)";
		}

	}

	/**
	 * A frame as read: a request, or the reason it is refused.
	 */
	private record Request(String event, @Nullable String requestId, JsonNode json, @Nullable String refusal,
			@Nullable String refusalMessage) {

		static Request refused(String code, String message) {
			return new Request("", null, ClientJson.MAPPER.nullNode(), code, message);
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
