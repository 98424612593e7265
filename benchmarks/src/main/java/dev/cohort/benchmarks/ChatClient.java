package dev.cohort.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client of a node's Cohort endpoint on the JDK's
 * {@link java.net.http.WebSocket}, which has no thread of its own: the connections of one
 * {@link HttpClient} share its selector thread and executor, so that a thousand of them
 * fit in the benchmark's JVM beside the nodes. It sends its frames one after the other,
 * completes the requests it made with their {@code response} or {@code error} frame, and
 * hands each {@code say} frame's sequence number to a {@link SayListener} together with
 * the moment the frame arrived, read before anything else is done with it.
 * <p>
 * A {@code say} frame is recognised without a JSON parser: the server writes the
 * {@code event} first, and the benchmark's messages carry a {@code seq} number. Every
 * other frame is parsed. A message may carry several frames, one per line, as Cohort
 * sends them to a client that connects with {@code batch=1}, as Cohort's JavaScript
 * client does.
 */
final class ChatClient implements WebSocket.Listener {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final String SAY = "{\"event\":\"say\"";

	private static final String SEQUENCE = "\"seq\":";

	private final int index;

	private final SayListener says;

	private final CompletableFuture<String> welcome = new CompletableFuture<>();

	private final Map<String, CompletableFuture<JsonNode>> requests = new ConcurrentHashMap<>();

	private final AtomicLong joinFrames = new AtomicLong();

	private final AtomicLong errorFrames = new AtomicLong();

	private final StringBuilder partial = new StringBuilder();

	private volatile String firstError;

	private volatile String closed;

	private CompletableFuture<WebSocket> sending;

	private volatile WebSocket socket;

	private ChatClient(int index, SayListener says) {
		this.index = index;
		this.says = says;
	}

	/**
	 * Connects to an endpoint and waits for its welcome.
	 * @param http the client whose selector and executor the connection uses
	 * @param uri the endpoint
	 * @param index this client's number, handed to the listener with every say
	 * @param says what hears the says
	 * @return completes with the client once the welcome arrived
	 */
	static CompletableFuture<ChatClient> connect(HttpClient http, URI uri, int index, SayListener says) {
		ChatClient client = new ChatClient(index, says);
		return http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(30))
			.buildAsync(uri, client)
			.thenCompose((socket) -> client.welcome)
			.thenApply((connectionId) -> client);
	}

	int index() {
		return this.index;
	}

	/**
	 * Sends a request with the given {@code requestId}.
	 * @param json the request, which carries {@code requestId}
	 * @param requestId the request's id, unique among this client's open requests
	 * @return completes with the {@code response} or {@code error} frame
	 */
	CompletableFuture<JsonNode> request(String json, String requestId) {
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.requests.put(requestId, answer);
		send(json).whenComplete((socket, ex) -> {
			if (ex != null) {
				this.requests.remove(requestId);
				answer.completeExceptionally(ex);
			}
		});
		return answer;
	}

	/**
	 * Sends a frame once the frames sent before it are out.
	 * @param json the frame
	 * @return completes when it is out
	 */
	synchronized CompletableFuture<WebSocket> send(String json) {
		this.sending = this.sending.thenCompose((socket) -> socket.sendText(json, true));
		return this.sending;
	}

	long joinFrames() {
		return this.joinFrames.get();
	}

	long errorFrames() {
		return this.errorFrames.get();
	}

	String firstError() {
		return this.firstError;
	}

	/**
	 * Why the connection closed, if it did.
	 * @return the status and reason, or {@code null}
	 */
	String closed() {
		return this.closed;
	}

	/**
	 * Drops the connection without a closing handshake.
	 */
	void abort() {
		WebSocket socket = this.socket;
		if (socket != null) {
			socket.abort();
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		synchronized (this) {
			this.socket = webSocket;
			this.sending = CompletableFuture.completedFuture(webSocket);
		}
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		long arrived = System.nanoTime();
		if (!last) {
			this.partial.append(data);
			return null;
		}
		String frame;
		if (this.partial.length() > 0) {
			frame = this.partial.append(data).toString();
			this.partial.setLength(0);
		}
		else {
			frame = data.toString();
		}
		// Several frames in one message, one per line (the endpoint's batch=1).
		int from = 0;
		for (int end = frame.indexOf('\n'); end >= 0; end = frame.indexOf('\n', from)) {
			receive(frame.substring(from, end), arrived);
			from = end + 1;
		}
		receive((from == 0) ? frame : frame.substring(from), arrived);
		return null;
	}

	private void receive(String frame, long arrived) {
		if (frame.startsWith(SAY)) {
			int at = frame.indexOf(SEQUENCE);
			if (at >= 0) {
				this.says.said(this.index, sequence(frame, at + SEQUENCE.length()), arrived);
				return;
			}
		}
		JsonNode node = mapper.readTree(frame);
		String event = node.path("event").stringValue("");
		switch (event) {
			case "welcome" -> this.welcome.complete(node.path("connectionId").stringValue(""));
			case "join" -> this.joinFrames.incrementAndGet();
			case "response", "error" -> {
				if (event.equals("error")) {
					this.errorFrames.incrementAndGet();
					if (this.firstError == null) {
						this.firstError = frame;
					}
				}
				String requestId = node.path("requestId").stringValue(null);
				CompletableFuture<JsonNode> answer = (requestId != null) ? this.requests.remove(requestId) : null;
				if (answer != null) {
					answer.complete(node);
				}
			}
			default -> {
			}
		}
	}

	private static long sequence(String frame, int from) {
		long sequence = 0;
		for (int i = from; i < frame.length(); i++) {
			char c = frame.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			sequence = sequence * 10 + (c - '0');
		}
		return sequence;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closed(statusCode + " " + reason, null);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		closed("error: " + error, error);
	}

	private void closed(String why, Throwable error) {
		this.closed = why;
		IllegalStateException ex = new IllegalStateException("Connection " + this.index + " closed: " + why, error);
		this.welcome.completeExceptionally(ex);
		this.requests.values().forEach((answer) -> answer.completeExceptionally(ex));
	}

	/**
	 * Hears the {@code say} frames of every client.
	 */
	@FunctionalInterface
	interface SayListener {

		/**
		 * A say frame arrived.
		 * @param client the number of the client that received it
		 * @param sequence the message's {@code seq}
		 * @param arrivedNanos when it arrived, {@link System#nanoTime()}
		 */
		void said(int client, long sequence, long arrivedNanos);

	}

}
