package dev.cohort.connections;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The clients of {@link IdleConnectionsMemoryTests}, in a JVM of their own so that each
 * end's heap is measured apart: opens a few connections to warm up, prints
 * {@code ready <heap>}, waits for a line on its input, opens the given number of
 * connections (each welcomed), prints {@code connected <heap>}, and exits when its input
 * ends. The heap is the heap in use after a full GC, in bytes. Only the JDK's classes, so
 * that it runs on the test classes directory alone.
 */
final class IdleClients {

	private static final int WARM_UP = 20;

	private static final int IN_FLIGHT = 50;

	private IdleClients() {
	}

	/**
	 * Runs the clients.
	 * @param args the endpoint's URI and the number of connections
	 * @throws Exception when a connection fails
	 */
	public static void main(String[] args) throws Exception {
		URI endpoint = URI.create(args[0]);
		int count = Integer.parseInt(args[1]);
		HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		List<WebSocket> sockets = new ArrayList<>();
		connect(http, endpoint, WARM_UP, sockets);
		System.out.println("ready " + heapAfterFullGc());
		if (input.readLine() == null) {
			System.exit(1);
		}
		connect(http, endpoint, count, sockets);
		System.out.println("connected " + heapAfterFullGc());
		while (input.readLine() != null) {
			// until the test ends
		}
		sockets.forEach(WebSocket::abort);
		System.exit(0);
	}

	private static void connect(HttpClient http, URI endpoint, int count, List<WebSocket> sockets) throws Exception {
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		List<CompletableFuture<WebSocket>> welcomed = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			inFlight.acquire();
			CompletableFuture<WebSocket> welcome = new CompletableFuture<>();
			http.newWebSocketBuilder().buildAsync(endpoint, new WelcomeListener(welcome)).whenComplete((socket, ex) -> {
				if (ex != null) {
					welcome.completeExceptionally(ex);
				}
			});
			welcome.whenComplete((socket, ex) -> inFlight.release());
			welcomed.add(welcome);
		}
		for (CompletableFuture<WebSocket> welcome : welcomed) {
			sockets.add(welcome.get(60, TimeUnit.SECONDS));
		}
	}

	static long heapAfterFullGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Completes with the socket at its first frame (the welcome), then reads on and drops
	 * whatever comes.
	 */
	private record WelcomeListener(CompletableFuture<WebSocket> welcome) implements WebSocket.Listener {

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(Long.MAX_VALUE);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.welcome.complete(webSocket);
			return null;
		}

	}

}
