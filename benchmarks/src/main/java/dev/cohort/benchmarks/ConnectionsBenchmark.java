package dev.cohort.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.cohort.chat.ChatRooms;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Cohort's WebSocket endpoint and chat rooms under {@link #CLIENTS} clients: three server
 * nodes (application contexts with the auto-configuration and a Tomcat on a free loopback
 * port each) share the benchmark's {@code redis-server}; {@link #CLIENTS} clients, spread
 * evenly over the nodes, all join room {@value #ROOM}. Every setting is the default but
 * {@code cluster.role}, {@code server}.
 * <p>
 * Broadcast latency: one client on the first node says a small message, one say at a
 * time, each once the one before reached every member and {@link #PAUSE_MILLIS} more;
 * from just before the send until each member's {@code say} frame arrived, and until the
 * last member's did. Throughput: {@link #SENDERS_PER_NODE} clients on every node each say
 * again as soon as their say before reached every member; deliveries ({@code say} frames
 * received by the clients) per second. Before the latency,
 * {@link #THROUGHPUT_WARMUP_MILLIS} ms of the throughput load warm the code up.
 * <p>
 * The clients are the JDK's {@link java.net.http.WebSocket} ({@link ChatClient}), in this
 * JVM: they share its CPU with the nodes, and their time to read a frame is part of every
 * figure.
 */
final class ConnectionsBenchmark implements ChatClient.SayListener {

	private static final String NAMESPACE = "bench-connections";

	private static final String ROOM = "bench";

	private static final int NODES = 3;

	private static final int CLIENTS = 1_000;

	/** Threads of the clients' executor, which the JDK WebSocket reads frames on. */
	private static final int CLIENT_THREADS = 4;

	private static final int CONNECTS_IN_FLIGHT = 50;

	private static final int JOINS_IN_FLIGHT = 50;

	/** How long no join frame may arrive before the joins count as settled. */
	private static final long QUIET_MILLIS = 500;

	private static final int WARMUP_BROADCASTS = 50;

	private static final int BROADCASTS = 200;

	private static final long PAUSE_MILLIS = 10;

	private static final int SENDERS_PER_NODE = 10;

	private static final long THROUGHPUT_WARMUP_MILLIS = 3_000;

	private static final long THROUGHPUT_RUN_MILLIS = 5_000;

	private static final int THROUGHPUT_RUNS = 3;

	private static final long TIMEOUT_SECONDS = 10;

	private static final double P99_TARGET_MILLIS = 50;

	private static final String TEXT = "hello from the benchmark";

	private final List<ConfigurableApplicationContext> nodes;

	private final List<HttpClient> http;

	private final List<ChatClient> clients = new ArrayList<>(CLIENTS);

	private final Map<Long, Broadcast> broadcasts = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final LongAdder delivered = new LongAdder();

	private final LongAdder strays = new LongAdder();

	private ConnectionsBenchmark(List<ConfigurableApplicationContext> nodes, List<HttpClient> http) {
		this.nodes = nodes;
		this.http = http;
	}

	/**
	 * Runs the connections benchmark on nodes of its own.
	 * @param host the Redis host
	 * @param port the Redis port
	 */
	static void run(String host, int port) throws Exception {
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService clientThreads = Executors.newFixedThreadPool(CLIENT_THREADS, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-ws-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		ConnectionsBenchmark benchmark = null;
		try {
			long heapBefore = heapInUse();
			for (int i = 0; i < NODES; i++) {
				nodes.add(BenchmarkNode.startWeb(host, port, NAMESPACE, Map.of("cluster.role", "server")));
			}
			// One HttpClient, so one selector thread, per node's clients.
			List<HttpClient> http = new ArrayList<>();
			for (int i = 0; i < NODES; i++) {
				http.add(HttpClient.newBuilder().executor(clientThreads).build());
			}
			benchmark = new ConnectionsBenchmark(nodes, http);
			benchmark.run(heapBefore);
		}
		finally {
			if (benchmark != null) {
				benchmark.clients.forEach(ChatClient::abort);
			}
			for (ConfigurableApplicationContext node : nodes) {
				node.close();
			}
			clientThreads.shutdownNow();
		}
	}

	private void run(long heapBefore) throws Exception {
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Connections: %,d WebSocket clients (the JDK's java.net.http.WebSocket, in this JVM) spread over %d"
						+ " server nodes (Tomcat, every setting the default), all in room '%s'; clients take several"
						+ " frames a message (batch=1, as cohort-client.js)%n",
				CLIENTS, NODES, ROOM);
		this.nodes.get(0).getBean(ChatRooms.class).add(ROOM);
		long heapNodes = heapInUse();
		connect();
		long heapConnected = heapInUse();
		System.out.printf(Locale.ROOT,
				"  heap in use (after a full GC): %d MB before the nodes, %d MB with the nodes, %d MB with the"
						+ " connections, %.0f KB a connection (both ends); the heap may grow to %d MB%n",
				heapBefore >> 20, heapNodes >> 20, heapConnected >> 20, (heapConnected - heapNodes) / 1024.0 / CLIENTS,
				Runtime.getRuntime().maxMemory() >> 20);
		join();
		AtomicInteger threadNumber = new AtomicInteger();
		ExecutorService senderThreads = Executors.newFixedThreadPool(SENDERS_PER_NODE * NODES, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-sender-" + threadNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		LatencyRecorder[] latency;
		double best;
		try {
			// The throughput load first, to warm up the code that latency runs too.
			long start = System.nanoTime();
			Run warmUp = throughputRun(senderThreads, THROUGHPUT_WARMUP_MILLIS);
			System.out.printf(Locale.ROOT,
					"  warm-up: the throughput load described below for %.2f s, %,.0f deliveries/s%n",
					seconds(System.nanoTime() - start), warmUp.deliveriesPerSecond());
			latency = latency();
			best = throughput(senderThreads);
		}
		finally {
			senderThreads.shutdownNow();
		}
		disconnect();
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Connections target (the issue's: broadcast p99 under %.0f ms, %,d clients on %d nodes in one room)%n",
				P99_TARGET_MILLIS, CLIENTS, NODES);
		target("p99, each member's delivery", latency[0]);
		target("p99, every member reached (last member)", latency[3]);
		System.out.printf(Locale.ROOT, "  %-44s %,9.0f /s  (no target)%n", "deliveries, best throughput run", best);
		if (this.strays.sum() > 0) {
			System.out.printf(Locale.ROOT, "  %,d say frames arrived after their say had reached every member%n",
					this.strays.sum());
		}
	}

	/**
	 * Drops every client at once (no closing handshake) and waits until the nodes have
	 * taken them all out of the room, so that the nodes close with nothing left to do.
	 */
	private void disconnect() throws InterruptedException {
		ChatRooms rooms = this.nodes.get(0).getBean(ChatRooms.class);
		long start = System.nanoTime();
		this.clients.forEach(ChatClient::abort);
		long deadline = start + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 3);
		int members = rooms.status(ROOM).size();
		while (members > 0 && System.nanoTime() - deadline < 0) {
			Thread.sleep(50);
			members = rooms.status(ROOM).size();
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Connections: all %,d clients dropped at once; %s after %.2f s%n", CLIENTS,
				(members == 0) ? "the room was empty" : members + " members still in the room",
				seconds(System.nanoTime() - start));
		Thread.sleep(500);
	}

	private static void target(String name, LatencyRecorder latency) {
		double p99 = latency.percentileMicros(99) / 1000;
		System.out.printf(Locale.ROOT, "  %-44s %9.2f ms  %s%n", name, p99,
				(p99 < P99_TARGET_MILLIS) ? "met" : "MISSED");
	}

	/**
	 * Connects the clients, client {@code i} to node {@code i % NODES}, at most
	 * {@link #CONNECTS_IN_FLIGHT} at a time, and waits for every welcome.
	 */
	private void connect() throws Exception {
		URI[] endpoints = new URI[NODES];
		for (int i = 0; i < NODES; i++) {
			int port = ((WebServerApplicationContext) this.nodes.get(i)).getWebServer().getPort();
			// As Cohort's JavaScript client connects: several frames in one message when
			// frames wait for the client.
			endpoints[i] = URI.create("ws://127.0.0.1:" + port + "/cohort/ws?batch=1");
		}
		// A socket for each end of each connection, all in this process. (HotSpot raises
		// its soft limit to the hard one by itself.)
		long needed = 2L * CLIENTS + 200;
		if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
				&& unix.getMaxFileDescriptorCount() < needed) {
			throw new IllegalStateException("The benchmark needs about " + needed + " file descriptors, but this"
					+ " process may open only " + unix.getMaxFileDescriptorCount() + " (ulimit -n)");
		}
		Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
		List<CompletableFuture<ChatClient>> connecting = new ArrayList<>(CLIENTS);
		long start = System.nanoTime();
		for (int i = 0; i < CLIENTS; i++) {
			inFlight.acquire();
			CompletableFuture<ChatClient> client = ChatClient.connect(this.http.get(i % NODES), endpoints[i % NODES], i,
					this);
			client.whenComplete((connected, ex) -> inFlight.release());
			connecting.add(client);
		}
		for (CompletableFuture<ChatClient> client : connecting) {
			try {
				this.clients.add(client.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
			}
			catch (Exception ex) {
				throw new IllegalStateException("Only " + this.clients.size() + " of " + CLIENTS
						+ " clients connected (file descriptors: " + fileDescriptors() + ")", ex);
			}
		}
		int[] perNode = new int[NODES];
		this.clients.forEach((client) -> perNode[client.index() % NODES]++);
		StringBuilder spread = new StringBuilder();
		for (int count : perNode) {
			spread.append((spread.length() > 0) ? "/" : "").append(count);
		}
		System.out.printf(Locale.ROOT, "  connected %,d clients (%s) in %.2f s, %d in flight; file descriptors %s%n",
				CLIENTS, spread, seconds(System.nanoTime() - start), CONNECTS_IN_FLIGHT, fileDescriptors());
	}

	/**
	 * Lets every client join the room, at most {@link #JOINS_IN_FLIGHT} at a time, waits
	 * for every response, then until no join frame arrived for {@link #QUIET_MILLIS}.
	 */
	private void join() throws Exception {
		Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
		List<CompletableFuture<JsonNode>> joins = new ArrayList<>(CLIENTS);
		String request = "{\"event\":\"roomJoin\",\"room\":\"" + ROOM + "\",\"requestId\":\"join\"}";
		long start = System.nanoTime();
		for (ChatClient client : this.clients) {
			inFlight.acquire();
			CompletableFuture<JsonNode> join = client.request(request, "join");
			join.whenComplete((response, ex) -> inFlight.release());
			joins.add(join);
		}
		for (CompletableFuture<JsonNode> join : joins) {
			JsonNode response = join.get(TIMEOUT_SECONDS * 3, TimeUnit.SECONDS);
			if (!response.path("event").stringValue("").equals("response")) {
				throw new IllegalStateException("A join failed: " + response);
			}
		}
		long joined = System.nanoTime() - start;
		long frames = joinFrames();
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
			Thread.sleep(50);
			long now = joinFrames();
			if (now != frames) {
				frames = now;
				quietSince = System.nanoTime();
			}
		}
		long settled = quietSince - start;
		int members = this.nodes.get(0).getBean(ChatRooms.class).status(ROOM).size();
		System.out.printf(Locale.ROOT,
				"  joined in %.2f s (every response, %d in flight); %,d join frames delivered, the last %.2f s after"
						+ " the first join; the room has %,d members%n",
				seconds(joined), JOINS_IN_FLIGHT, frames, seconds(settled), members);
		if (members != CLIENTS) {
			throw new IllegalStateException("Room '" + ROOM + "' has " + members + " members, not " + CLIENTS);
		}
		checkClients();
	}

	private long joinFrames() {
		return this.clients.stream().mapToLong(ChatClient::joinFrames).sum();
	}

	/**
	 * One say at a time from client 0, on the first node.
	 * @return the latency of each delivery, of those on the sender's node, of those on
	 * the others, and until every member had it
	 */
	private LatencyRecorder[] latency() throws Exception {
		ChatClient sender = this.clients.get(0);
		for (int i = 0; i < WARMUP_BROADCASTS; i++) {
			broadcastAndWait(sender, null);
			Thread.sleep(PAUSE_MILLIS);
		}
		LatencyRecorder each = new LatencyRecorder(BROADCASTS * CLIENTS);
		int local = (int) this.clients.stream().filter((client) -> client.index() % NODES == 0).count();
		LatencyRecorder sameNode = new LatencyRecorder(BROADCASTS * local);
		LatencyRecorder otherNodes = new LatencyRecorder(BROADCASTS * (CLIENTS - local));
		LatencyRecorder all = new LatencyRecorder(BROADCASTS);
		long[] latencies = new long[CLIENTS];
		int duplicates = 0;
		CpuMeter cpu = CpuMeter.start();
		ThreadCpu threads = ThreadCpu.start();
		for (int i = 0; i < BROADCASTS; i++) {
			Broadcast broadcast = broadcastAndWait(sender, latencies);
			long last = 0;
			for (int client = 0; client < CLIENTS; client++) {
				long elapsed = broadcast.latencies[client];
				each.record(elapsed);
				((client % NODES == 0) ? sameNode : otherNodes).record(elapsed);
				last = Math.max(last, elapsed);
			}
			all.record(last);
			duplicates += broadcast.duplicates.get();
			Thread.sleep(PAUSE_MILLIS);
		}
		String cpuLine = cpu.report();
		String threadLine = threads.report();
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Connections, broadcast latency: client 0 (node 1) says {\"seq\":n,\"text\":\"%s\"} to all %,d"
						+ " members, one say at a time, each %d ms after the one before reached every member; %d says"
						+ " after %d of warm-up; from just before the send until the say frame arrived%n",
				TEXT, CLIENTS, PAUSE_MILLIS, BROADCASTS, WARMUP_BROADCASTS);
		printMillis("each delivery", each);
		printMillis("sender's node", sameNode);
		printMillis("other nodes", otherNodes);
		printMillis("every member", all);
		Benchmarks.printIfAny(cpuLine);
		Benchmarks.printIfAny(threadLine);
		if (duplicates > 0) {
			System.out.println("  " + duplicates + " members got a say twice");
		}
		return new LatencyRecorder[] { each, sameNode, otherNodes, all };
	}

	private Broadcast broadcastAndWait(ChatClient sender, long[] latencies) throws Exception {
		Broadcast broadcast = say(sender, latencies);
		if (!broadcast.done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Say " + broadcast.sequence + " reached " + broadcast.received.get()
					+ " of " + CLIENTS + " members within " + TIMEOUT_SECONDS + " s; " + clientTrouble());
		}
		return broadcast;
	}

	private Broadcast say(ChatClient sender, long[] latencies) {
		long sequence = this.sequence.incrementAndGet();
		if (latencies != null) {
			Arrays.fill(latencies, 0);
		}
		String json = "{\"event\":\"say\",\"room\":\"" + ROOM + "\",\"message\":{\"seq\":" + sequence + ",\"text\":\""
				+ TEXT + "\"}}";
		Broadcast broadcast = new Broadcast(sequence, latencies);
		this.broadcasts.put(sequence, broadcast);
		broadcast.sentAt = System.nanoTime();
		sender.send(json);
		return broadcast;
	}

	@Override
	public void said(int client, long sequence, long arrivedNanos) {
		this.delivered.increment();
		Broadcast broadcast = this.broadcasts.get(sequence);
		if (broadcast == null) {
			this.strays.increment();
			return;
		}
		long elapsed = arrivedNanos - broadcast.sentAt;
		if (broadcast.latencies != null) {
			if (broadcast.latencies[client] != 0) {
				broadcast.duplicates.incrementAndGet();
			}
			broadcast.latencies[client] = elapsed;
		}
		if (broadcast.received.incrementAndGet() == CLIENTS) {
			broadcast.doneNanos = elapsed;
			this.broadcasts.remove(sequence);
			broadcast.done.countDown();
		}
	}

	/**
	 * Runs of {@link #SENDERS_PER_NODE} senders per node, each saying again as soon as
	 * its say before reached every member.
	 * @return the best run's deliveries per second
	 */
	private double throughput(ExecutorService threads) throws Exception {
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Connections, throughput: %d senders (%d on each node) each say again as soon as their say before"
						+ " reached all %,d members; %.0f s a run, best of %d; deliveries = say frames received by"
						+ " the clients%n",
				SENDERS_PER_NODE * NODES, SENDERS_PER_NODE, CLIENTS, THROUGHPUT_RUN_MILLIS / 1e3, THROUGHPUT_RUNS);
		double best = 0;
		for (int run = 1; run <= THROUGHPUT_RUNS; run++) {
			CpuMeter cpu = CpuMeter.start();
			ThreadCpu threadCpu = ThreadCpu.start();
			Run result = throughputRun(threads, THROUGHPUT_RUN_MILLIS);
			String cpuLine = cpu.report();
			String threadLine = threadCpu.report();
			System.out.printf(Locale.ROOT,
					"  run %d: %,9.0f deliveries/s (%,.0f says/s); every member reached p50 %.2f ms, p99 %.2f ms%s%n",
					run, result.deliveriesPerSecond(), result.deliveriesPerSecond() / CLIENTS,
					result.reached().percentileMicros(50) / 1000, result.reached().percentileMicros(99) / 1000,
					(result.lost() > 0) ? String.format(Locale.ROOT, "; %,d deliveries LOST", result.lost()) : "");
			Benchmarks.printIfAny(cpuLine);
			Benchmarks.printIfAny(threadLine);
			best = Math.max(best, result.deliveriesPerSecond());
		}
		return best;
	}

	/**
	 * Lets the first {@link #SENDERS_PER_NODE} clients of every node say, each again as
	 * soon as its say before reached every member, until the time is up.
	 * @return deliveries per second until the time was up, the time each say took to
	 * reach every member, and the deliveries that never came
	 */
	private Run throughputRun(ExecutorService threads, long millis) throws Exception {
		List<ChatClient> senders = this.clients.subList(0, SENDERS_PER_NODE * NODES);
		LatencyRecorder reached = new LatencyRecorder(1_000_000);
		AtomicLong lost = new AtomicLong();
		CountDownLatch go = new CountDownLatch(1);
		AtomicLong deadline = new AtomicLong();
		List<Future<?>> loops = new ArrayList<>(senders.size());
		for (ChatClient sender : senders) {
			loops.add(threads.submit(() -> {
				go.await();
				long end = deadline.get();
				while (System.nanoTime() - end < 0) {
					Broadcast broadcast = say(sender, null);
					if (!broadcast.done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
						this.broadcasts.remove(broadcast.sequence);
						lost.addAndGet(CLIENTS - broadcast.received.get());
						break;
					}
					synchronized (reached) {
						reached.record(broadcast.doneNanos);
					}
				}
				return null;
			}));
		}
		long before = this.delivered.sum();
		long start = System.nanoTime();
		deadline.set(start + TimeUnit.MILLISECONDS.toNanos(millis));
		go.countDown();
		Thread.sleep(millis);
		long count = this.delivered.sum() - before;
		long elapsed = System.nanoTime() - start;
		for (Future<?> loop : loops) {
			loop.get();
		}
		checkClients();
		return new Run(count / seconds(elapsed), reached, lost.get());
	}

	/**
	 * Fails if a client was closed or got an error frame.
	 */
	private void checkClients() {
		String trouble = clientTrouble();
		if (!trouble.isEmpty()) {
			throw new IllegalStateException(trouble);
		}
	}

	private String clientTrouble() {
		long closed = this.clients.stream().filter((client) -> client.closed() != null).count();
		long errors = this.clients.stream().mapToLong(ChatClient::errorFrames).sum();
		if (closed == 0 && errors == 0) {
			return "";
		}
		String firstClosed = this.clients.stream()
			.map(ChatClient::closed)
			.filter((why) -> why != null)
			.findFirst()
			.orElse("-");
		String firstError = this.clients.stream()
			.map(ChatClient::firstError)
			.filter((error) -> error != null)
			.findFirst()
			.orElse("-");
		return closed + " clients closed (first: " + firstClosed + "), " + errors + " error frames (first: "
				+ firstError + ")";
	}

	private static void printMillis(String name, LatencyRecorder latency) {
		System.out.printf(Locale.ROOT, "  %-14s p50 %7.2f ms   p99 %7.2f ms   mean %7.2f ms   (%,d)%n", name,
				latency.percentileMicros(50) / 1000, latency.percentileMicros(99) / 1000, latency.meanMicros() / 1000,
				latency.count());
	}

	private static long heapInUse() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * How many file descriptors this process has open, and its limit.
	 */
	private static String fileDescriptors() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
			return String.format(Locale.ROOT, "%,d open of %,d", unix.getOpenFileDescriptorCount(),
					unix.getMaxFileDescriptorCount());
		}
		return "unknown";
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	/**
	 * The CPU time of this JVM's threads by what they do, from Linux' {@code /proc}: the
	 * nodes' Tomcat threads (which read the clients' frames and deliver the says of their
	 * own clients), their {@code cohort-handler} threads (which deliver the says from
	 * other nodes), the clients (the JDK WebSocket's selector and executor threads, the
	 * senders and the main thread), Lettuce's Redis I/O threads, the garbage collector's
	 * and the JIT compilers'. Threads that ended meanwhile are missing; elsewhere it
	 * reports nothing.
	 */
	private static final class ThreadCpu {

		private static final String[] GROUPS = { "Tomcat", "cohort-handler", "clients", "Lettuce", "GC", "JIT",
				"other" };

		private final Map<String, Long> start;

		private final long startNanos;

		private final long[] gc;

		private ThreadCpu(Map<String, Long> start, long startNanos, long[] gc) {
			this.start = start;
			this.startNanos = startNanos;
			this.gc = gc;
		}

		static ThreadCpu start() {
			return new ThreadCpu(sample(), System.nanoTime(), gc());
		}

		String report() {
			Map<String, Long> end = sample();
			if (end.isEmpty()) {
				return "";
			}
			double elapsedJiffies = (System.nanoTime() - this.startNanos) / 1e7;
			long[] byGroup = new long[GROUPS.length];
			end.forEach((thread, jiffies) -> {
				String name = thread.substring(thread.indexOf(' ') + 1);
				byGroup[group(name)] += jiffies - this.start.getOrDefault(thread, 0L);
			});
			StringBuilder line = new StringBuilder("  CPU of this JVM's threads:");
			for (int i = 0; i < GROUPS.length; i++) {
				line.append(String.format(Locale.ROOT, "%s %s %.0f%%", (i > 0) ? "," : "", GROUPS[i],
						100.0 * byGroup[i] / elapsedJiffies));
			}
			long[] gc = gc();
			line.append(String.format(Locale.ROOT, "; %d collections, %d ms", gc[0] - this.gc[0], gc[1] - this.gc[1]));
			return line.toString();
		}

		/**
		 * Every thread's jiffies (user and system, 100 a second), by "id name".
		 */
		private static Map<String, Long> sample() {
			Map<String, Long> jiffies = new HashMap<>();
			File[] tasks = new File("/proc/self/task").listFiles();
			for (File task : (tasks != null) ? tasks : new File[0]) {
				try {
					String stat = Files.readString(task.toPath().resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					// utime and stime, fields 14 and 15 of the whole line
					jiffies.put(task.getName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
				}
				catch (IOException | RuntimeException ex) {
					// The thread ended.
				}
			}
			return jiffies;
		}

		/**
		 * Collections and their milliseconds so far, of every collector.
		 */
		private static long[] gc() {
			long[] gc = new long[2];
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				gc[0] += Math.max(0, collector.getCollectionCount());
				gc[1] += Math.max(0, collector.getCollectionTime());
			}
			return gc;
		}

		/**
		 * The group of a thread, by its name as Linux keeps it (at most 15 characters).
		 */
		private static int group(String name) {
			if (name.startsWith("http-nio-")) {
				return 0;
			}
			if (name.startsWith("cohort-handler")) {
				return 1;
			}
			if (name.startsWith("HttpClient-") || name.startsWith("bench-") || name.equals("main")) {
				return 2;
			}
			if (name.startsWith("lettuce-")) {
				return 3;
			}
			if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
				return 4;
			}
			return (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) ? 5 : 6;
		}

	}

	/**
	 * One say on its way to the members.
	 */
	private static final class Broadcast {

		private final long sequence;

		private final long[] latencies;

		private final AtomicInteger received = new AtomicInteger();

		private final AtomicInteger duplicates = new AtomicInteger();

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile long sentAt;

		private volatile long doneNanos;

		Broadcast(long sequence, long[] latencies) {
			this.sequence = sequence;
			this.latencies = latencies;
		}

	}

	/**
	 * A throughput run: deliveries per second, the time each say took to reach every
	 * member, and the deliveries that never came.
	 */
	private record Run(double deliveriesPerSecond, LatencyRecorder reached, long lost) {
	}

}
