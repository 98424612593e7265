package dev.cohort.sample.rolling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client of Cohort's protocol v1 that behaves as the JavaScript client,
 * {@code cohort-client.js}, does: the same reconnection back-off (250 ms doubled per
 * failed attempt up to 10 s, each delay stretched by a random part of up to half of it,
 * capped at 10 s; the count of failed attempts starts again at each {@code welcome}), the
 * same re-join of the rooms it had joined after each reconnection, and the same
 * bookkeeping of its rooms ({@code join}/{@code leave} events about its own connection
 * add and remove them).
 * <p>
 * Unlike the browser client, which always opens the same URL and relies on a load
 * balancer, this one is given the servers' URLs and opens the next one, round robin, at
 * each attempt: what a load balancer does when it routes away from a node that stopped
 * taking connections.
 */
final class RoomClient {

	private static final long MIN_DELAY = 250;

	private static final long MAX_DELAY = 10_000;

	private static final double JITTER = 0.5;

	private static final long REQUEST_TIMEOUT = 10_000;

	/**
	 * The sample's demo chat users (security/SecurityConfiguration), each with its name
	 * for password: the sample refuses anonymous handshakes
	 * ({@code cluster.connections.require-authentication}).
	 */
	private static final List<String> USERS = List.of("alice", "bob", "carol");

	private final int index;

	private final List<URI> servers;

	private final HttpClient http;

	private final ScheduledExecutorService timer;

	private final JsonMapper json;

	/** The rooms it has joined, and re-joins after a reconnection (the JS client's). */
	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final AtomicInteger requestIds = new AtomicInteger();

	private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

	private final List<String> closes = java.util.Collections.synchronizedList(new ArrayList<>());

	private int nextServer;

	/** Failed attempts since the last welcome. */
	private int attempt;

	private volatile boolean stopped;

	private volatile boolean welcomed;

	private volatile Connection connection;

	private volatile String connectionId;

	private volatile String nodeId;

	/** When the connection it had dropped, until its rooms are re-joined; 0 if none. */
	private volatile long droppedAt;

	private volatile long worstGapNanos;

	private final AtomicInteger reconnections = new AtomicInteger();

	private volatile boolean rejoining;

	private volatile CompletableFuture<String> firstWelcome = new CompletableFuture<>();

	RoomClient(int index, List<URI> servers, int firstServer, HttpClient http, ScheduledExecutorService timer,
			JsonMapper json) {
		this.index = index;
		this.servers = servers;
		this.nextServer = firstServer;
		this.http = http;
		this.timer = timer;
		this.json = json;
	}

	/** Connects, retrying with back-off until the first welcome, as connect() does. */
	CompletableFuture<String> connect() {
		this.stopped = false;
		open();
		return this.firstWelcome;
	}

	/** Joins a room, as join(room) does. */
	CompletableFuture<JsonNode> join(String room) {
		return request("roomJoin", room).thenApply((data) -> {
			this.rooms.add(room);
			return data;
		});
	}

	void close() {
		this.stopped = true;
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null && connection.socket != null) {
			connection.socket.sendClose(1000, "client closed");
		}
	}

	private synchronized void open() {
		if (this.stopped) {
			return;
		}
		URI server = this.servers.get(this.nextServer++ % this.servers.size());
		Connection connection = new Connection(server);
		this.connection = connection;
		String user = USERS.get(this.index % USERS.size());
		this.http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			// HTTP Basic, which the sample's security takes as a browser's login.
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
			.buildAsync(server, connection)
			.whenComplete((socket, ex) -> {
				if (ex != null) {
					connection.ended(1006, "could not connect: " + ex);
				}
			});
	}

	private CompletableFuture<JsonNode> request(String event, String room) {
		Connection connection = this.connection;
		if (connection == null || connection.socket == null || this.connectionId == null) {
			return CompletableFuture.failedFuture(new RequestException("not-connected", "not connected"));
		}
		String requestId = Integer.toString(this.requestIds.incrementAndGet());
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(requestId, answer);
		this.timer.schedule(() -> {
			if (this.pending.remove(requestId, answer)) {
				answer.completeExceptionally(
						new RequestException("timeout", event + " got no answer in " + REQUEST_TIMEOUT + " ms"));
			}
		}, REQUEST_TIMEOUT, TimeUnit.MILLISECONDS);
		connection.send(this.json.writeValueAsString(Map.of("event", event, "requestId", requestId, "room", room)));
		return answer;
	}

	private void receive(Connection connection, JsonNode frame) {
		if (connection != this.connection) {
			return;
		}
		String event = frame.path("event").asString("");
		switch (event) {
			case "welcome" -> welcome(connection, frame);
			case "response", "error" -> {
				CompletableFuture<JsonNode> answer = this.pending.remove(frame.path("requestId").asString(""));
				if (answer == null) {
					if (event.equals("error")) {
						this.errors.add("unmatched error " + frame);
					}
				}
				else if (event.equals("error")) {
					answer.completeExceptionally(new RequestException(frame.path("error").asString("error"),
							frame.path("message").asString("")));
				}
				else {
					answer.complete(frame.path("data"));
				}
			}
			case "join" -> {
				if (frame.path("connectionId").asString("").equals(this.connectionId)) {
					this.rooms.add(frame.path("room").asString());
				}
			}
			case "leave" -> {
				if (frame.path("connectionId").asString("").equals(this.connectionId)) {
					this.rooms.remove(frame.path("room").asString());
				}
			}
			case "disconnect" -> connection.booted = true;
			default -> {
			}
		}
	}

	private void welcome(Connection connection, JsonNode frame) {
		String id = frame.path("connectionId").asString();
		synchronized (this) {
			this.connectionId = id;
			this.nodeId = frame.path("nodeId").asString();
			this.attempt = 0;
		}
		boolean reconnected = this.welcomed;
		this.welcomed = true;
		this.firstWelcome.complete(id);
		if (!reconnected) {
			return;
		}
		this.reconnections.incrementAndGet();
		this.rejoining = true;
		List<CompletableFuture<Void>> rejoins = new ArrayList<>();
		for (String room : new LinkedHashSet<>(this.rooms)) {
			rejoins.add(request("roomJoin", room).handle((data, ex) -> {
				if (ex != null) {
					Throwable cause = (ex instanceof java.util.concurrent.CompletionException) ? ex.getCause() : ex;
					String code = (cause instanceof RequestException failure) ? failure.code : "error";
					if (!code.equals("disconnected") && !code.equals("closed")) {
						if (code.equals("no-such-room")) {
							this.rooms.remove(room);
						}
						this.errors.add("could not re-join " + room + ": " + cause.getMessage());
					}
				}
				return null;
			}));
		}
		CompletableFuture.allOf(rejoins.toArray(CompletableFuture[]::new)).whenComplete((done, ex) -> {
			if (connection != this.connection || !id.equals(this.connectionId)) {
				return; // it dropped meanwhile: the next welcome re-joins again
			}
			long dropped = this.droppedAt;
			if (dropped != 0) {
				this.worstGapNanos = Math.max(this.worstGapNanos, System.nanoTime() - dropped);
				this.droppedAt = 0;
			}
			this.rejoining = false;
		});
	}

	private void ended(Connection connection, int code, String reason) {
		long delay;
		synchronized (this) {
			if (connection != this.connection) {
				return;
			}
			boolean wasConnected = this.connectionId != null;
			this.connectionId = null;
			this.closes.add(code + " " + reason);
			if (wasConnected && this.droppedAt == 0) {
				this.droppedAt = System.nanoTime();
			}
			this.pending.values()
				.forEach((answer) -> answer.completeExceptionally(
						new RequestException("disconnected", "the connection closed before the answer")));
			this.pending.clear();
			if (connection.booted || this.stopped) {
				this.errors.add("closed for good: " + code + " " + reason);
				this.stopped = true;
				return;
			}
			long base = Math.min(MAX_DELAY, MIN_DELAY * (1L << Math.min(this.attempt, 20)));
			delay = Math.round(Math.min(MAX_DELAY, base * (1 + JITTER * ThreadLocalRandom.current().nextDouble())));
			this.attempt++;
		}
		this.timer.schedule(this::open, delay, TimeUnit.MILLISECONDS);
	}

	int index() {
		return this.index;
	}

	/** Connected, and not re-joining its rooms. */
	boolean isSettled() {
		return this.connectionId != null && !this.rejoining && this.droppedAt == 0;
	}

	String connectionId() {
		return this.connectionId;
	}

	String nodeId() {
		return this.nodeId;
	}

	Set<String> rooms() {
		return Set.copyOf(this.rooms);
	}

	Duration worstGap() {
		return Duration.ofNanos(this.worstGapNanos);
	}

	int reconnections() {
		return this.reconnections.get();
	}

	List<String> errors() {
		return List.copyOf(this.errors);
	}

	List<String> closes() {
		return List.copyOf(this.closes);
	}

	/** One WebSocket, from its opening to its close. */
	private final class Connection implements WebSocket.Listener {

		private final URI server;

		private final StringBuilder partial = new StringBuilder();

		private final AtomicBoolean ended = new AtomicBoolean();

		private volatile WebSocket socket;

		private volatile boolean booted;

		/** Sends one after the other: a WebSocket takes one send at a time. */
		private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

		Connection(URI server) {
			this.server = server;
		}

		synchronized void send(String text) {
			WebSocket socket = this.socket;
			if (socket == null) {
				return;
			}
			this.sends = this.sends.handle((sent, ex) -> null)
				.thenCompose((ignored) -> socket.sendText(text, true))
				.exceptionally((ex) -> null);
		}

		void ended(int code, String reason) {
			if (this.ended.compareAndSet(false, true)) {
				RoomClient.this.ended(this, code, reason);
			}
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			this.socket = webSocket;
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String text = this.partial.toString();
				this.partial.setLength(0);
				try {
					receive(this, RoomClient.this.json.readTree(text));
				}
				catch (RuntimeException ex) {
					RoomClient.this.errors.add("could not handle " + text + ": " + ex);
				}
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			ended(statusCode, reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			ended(1006, String.valueOf(error));
		}

		@Override
		public String toString() {
			return this.server.toString();
		}

	}

	static final class RequestException extends RuntimeException {

		final String code;

		RequestException(String code, String message) {
			super(code + ": " + message);
			this.code = code;
		}

	}

}
