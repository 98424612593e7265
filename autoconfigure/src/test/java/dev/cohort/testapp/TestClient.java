package dev.cohort.testapp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A real WebSocket client of a test node, which keeps every frame it receives.
 */
public final class TestClient extends TextWebSocketHandler implements AutoCloseable {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	/** Every frame received, in order. */
	public final List<JsonNode> frames = new CopyOnWriteArrayList<>();

	private volatile CloseStatus closed;

	private final WebSocketSession session;

	private TestClient(URI uri, WebSocketHttpHeaders headers) throws Exception {
		// Frames as large as the server may send (room events of up to 1MB).
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(1024 * 1024);
		StandardWebSocketClient client = new StandardWebSocketClient(container);
		client.getUserProperties().put("org.apache.tomcat.websocket.IO_TIMEOUT_MS", "10000");
		this.session = client.execute(this, headers, uri).get(30, TimeUnit.SECONDS);
	}

	/**
	 * Tries to connect as a page of another origin would.
	 * @param node the node
	 * @param origin the page's origin
	 * @return the client
	 * @throws Exception if the handshake is refused
	 */
	public static TestClient connectFrom(ConfigurableApplicationContext node, String origin) throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.setOrigin(origin);
		return new TestClient(uri(node), headers);
	}

	/**
	 * Connects to a node's WebSocket endpoint and waits for its welcome.
	 * @param node the node
	 * @return the client
	 * @throws Exception if it cannot connect
	 */
	public static TestClient connect(ConfigurableApplicationContext node) throws Exception {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return connect(port);
	}

	/**
	 * Connects to a node's WebSocket endpoint as a user (the test application's
	 * {@link HeaderAuthenticationFilter} authenticates it) and waits for its welcome.
	 * @param node the node
	 * @param user the user
	 * @return the client
	 * @throws Exception if it cannot connect
	 */
	public static TestClient connectAs(ConfigurableApplicationContext node, String user) throws Exception {
		return welcomed(openAs(node, user));
	}

	/**
	 * Opens a connection to a node's WebSocket endpoint as a user, without waiting for
	 * its welcome.
	 * @param node the node
	 * @param user the user
	 * @return the client
	 * @throws Exception if the handshake is refused
	 */
	public static TestClient openAs(ConfigurableApplicationContext node, String user) throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.add(HeaderAuthenticationFilter.HEADER, user);
		return new TestClient(uri(node), headers);
	}

	/**
	 * Connects to a node's WebSocket endpoint with a query (such as {@code user=alice},
	 * which the test application's {@link QueryHandshakeHandler} reads) and waits for its
	 * welcome.
	 * @param node the node
	 * @param query the query
	 * @return the client
	 * @throws Exception if it cannot connect
	 */
	public static TestClient connectWithQuery(ConfigurableApplicationContext node, String query) throws Exception {
		return welcomed(new TestClient(URI.create(uri(node) + "?" + query), new WebSocketHttpHeaders()));
	}

	private static URI uri(ConfigurableApplicationContext node) {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return URI.create("ws://127.0.0.1:" + port + "/cohort/ws");
	}

	/**
	 * Connects to the WebSocket endpoint on a port and waits for its welcome.
	 * @param port the port
	 * @return the client
	 * @throws Exception if it cannot connect
	 */
	public static TestClient connect(int port) throws Exception {
		return welcomed(open(port));
	}

	private static TestClient welcomed(TestClient client) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> !client.events("welcome").isEmpty() || client.closed != null);
		if (client.events("welcome").isEmpty()) {
			throw new IllegalStateException("The node closed the connection before its welcome: " + client.closed);
		}
		return client;
	}

	/**
	 * Opens a connection to the WebSocket endpoint on a port, without waiting for its
	 * welcome.
	 * @param port the port
	 * @return the client
	 * @throws Exception if the handshake fails
	 */
	public static TestClient open(int port) throws Exception {
		return new TestClient(URI.create("ws://127.0.0.1:" + port + "/cohort/ws"), new WebSocketHttpHeaders());
	}

	/** The WebSocket messages received, each with one frame or, with batch=1, several. */
	public final AtomicInteger messages = new AtomicInteger();

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.messages.incrementAndGet();
		// One frame per line: a client that connects with batch=1 may get several.
		for (String frame : message.getPayload().split("\n")) {
			this.frames.add(mapper.readTree(frame));
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.closed = status;
	}

	/**
	 * This client's connection id, from the welcome.
	 * @return the id
	 */
	public String id() {
		return first("welcome").get("connectionId").stringValue();
	}

	/**
	 * Sends a frame.
	 * @param json the frame
	 * @throws Exception if it cannot be sent
	 */
	public void send(String json) throws Exception {
		this.session.sendMessage(new TextMessage(json));
	}

	/**
	 * Sends a request and waits for its response or error.
	 * @param json the request, with a {@code requestId}
	 * @param requestId its id
	 * @return the answer
	 * @throws Exception if it cannot be sent
	 */
	public JsonNode request(String json, String requestId) throws Exception {
		send(json);
		return await((frame) -> requestId.equals(frame.path("requestId").stringValue(null)));
	}

	/**
	 * Joins a room and waits for the answer.
	 * @param room the room
	 * @throws Exception if it cannot be sent
	 * @throws IllegalStateException if the node answered with an error
	 */
	public void join(String room) throws Exception {
		JsonNode answer = joinRoom(room);
		if (!"response".equals(answer.path("event").stringValue(null))) {
			throw new IllegalStateException("Could not join room '" + room + "': " + answer);
		}
	}

	/**
	 * Joins a room and waits for the answer.
	 * @param room the room
	 * @return the answer: a {@code response}, or an {@code error}
	 * @throws Exception if the request cannot be sent
	 */
	public JsonNode joinRoom(String room) throws Exception {
		String requestId = "join-" + room + "-" + System.nanoTime();
		return request("{\"event\":\"roomJoin\",\"room\":\"" + room + "\",\"requestId\":\"" + requestId + "\"}",
				requestId);
	}

	/**
	 * Waits for a frame.
	 * @param match what the frame must be
	 * @return the first matching frame
	 */
	public JsonNode await(Predicate<JsonNode> match) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> this.frames.stream().filter(match).findFirst().orElse(null), (frame) -> frame != null);
	}

	/**
	 * The frames of an event.
	 * @param event the event
	 * @return the frames
	 */
	public List<JsonNode> events(String event) {
		return this.frames.stream().filter((frame) -> event.equals(frame.path("event").stringValue(null))).toList();
	}

	private JsonNode first(String event) {
		return events(event).get(0);
	}

	/**
	 * How the server closed the connection, if it did.
	 * @return the status, or {@code null}
	 */
	public CloseStatus closeStatus() {
		return this.closed;
	}

	/**
	 * Whether the connection is open.
	 * @return whether it is open
	 */
	public boolean isOpen() {
		return this.session.isOpen();
	}

	@Override
	public void close() throws Exception {
		if (this.session.isOpen()) {
			this.session.close();
		}
	}

}
