package dev.cohort.sample.rolling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ClusterRpcException;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.QueueStats;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart under load, with real processes on a real Redis (issue 14): two
 * server nodes and two worker nodes, each a JVM of its own ({@link RollingNode}), and a
 * driver node in the test's JVM ({@link RollingDriver}) that
 * <ul>
 * <li>enqueues a steady stream of short jobs, each of which records its run in a Redis
 * hash of the test's own;</li>
 * <li>calls an RPC method on each of the four nodes, again and again;</li>
 * <li>reads the rooms' members at the end;</li>
 * </ul>
 * while 200 WebSocket clients ({@link RoomClient}, which behaves as the JavaScript
 * client), spread over the two servers, sit in ten rooms. Every node is restarted in turn
 * (SIGTERM, wait for the exit, start a new process, wait until it is ready), twice round.
 * The test then checks that no job was lost or run twice, that RPC calls failed only
 * while their target stopped, each naming it and none waiting past
 * {@code cluster.rpc-timeout}, that every client is back in its rooms with each room's
 * members right, and that the recurring task ran once per period throughout.
 */
class RollingRestartTests {

	private static final String TOKEN = "rolling-restart-tests-token-0123456789abcdef";

	private static final Duration RPC_TIMEOUT = Duration.ofSeconds(3);

	/** What a call may take beyond the RPC timeout: the timeout sweep, a busy machine. */
	private static final Duration RPC_SLACK = Duration.ofSeconds(1);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	private static final int CLIENTS = 200;

	private static final int ROOMS = 10;

	private static final int ROUNDS = 2;

	/** Jobs enqueued per second. */
	private static final int JOBS_PER_SECOND = 100;

	/** Calls made to each node per second. */
	private static final int CALLS_PER_SECOND = 20;

	private static final Path LOGS = Path.of("target", "rolling-logs");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final List<Process> processes = new CopyOnWriteArrayList<>();

	private static final Thread killer = new Thread(() -> processes.forEach(Process::destroyForcibly),
			"rolling-restart-killer");

	private static RedisServer redis;

	private static ConfigurableApplicationContext driver;

	private static ScheduledExecutorService load;

	private static ScheduledExecutorService clientTimer;

	private static final List<RoomClient> clients = new ArrayList<>();

	private final String namespace = "rolling-" + UUID.randomUUID().toString().substring(0, 8);

	private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

	/** Every job whose enqueue returned, by its sequence number. */
	private final Set<String> enqueued = ConcurrentHashMap.newKeySet();

	private final List<String> enqueueFailures = new CopyOnWriteArrayList<>();

	private final AtomicLong sequence = new AtomicLong();

	private final Collection<Call> calls = new ConcurrentLinkedQueue<>();

	private final List<String> leaders = new CopyOnWriteArrayList<>();

	private final List<Restart> restarts = new ArrayList<>();

	/** The four nodes, each on a port of its own that its successive processes keep. */
	private final List<Node> cluster = List.of(new Node("server-1", "server", freePort()),
			new Node("worker-1", "worker", freePort()), new Node("server-2", "server", freePort()),
			new Node("worker-2", "worker", freePort()));

	@AfterAll
	static void stopEverything() {
		clients.forEach(RoomClient::close);
		if (load != null) {
			load.shutdownNow();
		}
		if (clientTimer != null) {
			clientTimer.shutdownNow();
		}
		// SIGTERM first, so that the logs end as a clean stop does; SIGKILL what is left.
		processes.forEach(Process::destroy);
		for (Process process : processes) {
			try {
				process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			process.destroyForcibly();
		}
		if (driver != null) {
			driver.close();
		}
		if (redis != null) {
			redis.close();
		}
		Runtime.getRuntime().removeShutdownHook(killer);
	}

	@Test
	void everyNodeRestartsInTurnTwiceUnderLoad() throws Exception {
		try {
			rollUnderLoad();
		}
		catch (Throwable failure) {
			// What the current processes said last; every log is in target/rolling-logs.
			for (Node node : this.cluster) {
				if (node.log != null) {
					System.out.println("==== " + node.log + " ====\n" + tail(node.log));
				}
			}
			throw failure;
		}
	}

	private void rollUnderLoad() throws Exception {
		Runtime.getRuntime().addShutdownHook(killer);
		Files.createDirectories(LOGS);
		redis = RedisServer.start();
		driver = startDriver();
		ClusterNodes nodes = driver.getBean(ClusterNodes.class);
		ChatRooms chatRooms = driver.getBean(ChatRooms.class);
		ClusterTasks tasks = driver.getBean(ClusterTasks.class);
		ClusterRpc rpc = driver.getBean(ClusterRpc.class);
		ClusterConnections connections = driver.getBean(ClusterConnections.class);
		StringRedisTemplate redisTemplate = driver.getBean(StringRedisTemplate.class);

		List<Node> cluster = this.cluster;
		long startedAt = System.nanoTime();
		cluster.forEach(this::launch);
		for (Node node : cluster) {
			awaitReady(node, nodes);
			node.rpcTarget = node.nodeId;
		}
		System.out.printf("Four nodes ready in %d ms: %s%n", millisSince(startedAt),
				cluster.stream().map((node) -> node.name + "=" + node.nodeId).toList());

		for (int i = 0; i < ROOMS; i++) {
			chatRooms.add(room(i));
		}
		List<URI> servers = cluster.stream()
			.filter((node) -> node.role.equals("server"))
			.map((node) -> URI.create("ws://127.0.0.1:" + node.port + "/cohort/ws"))
			.toList();
		clientTimer = Executors.newScheduledThreadPool(2);
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(new RoomClient(i, servers, i % servers.size(), http, clientTimer, json));
		}
		try {
			CompletableFuture.allOf(clients.stream().map(RoomClient::connect).toArray(CompletableFuture[]::new))
				.get(60, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			List<String> waiting = clients.stream()
				.filter((client) -> client.nodeId() == null)
				.map((client) -> client.index() + ": " + client.closes())
				.limit(5)
				.toList();
			throw new AssertionError("Not every client got its welcome within 60 s; some of those still waiting, "
					+ "with their closes: " + waiting, ex);
		}
		List<CompletableFuture<?>> joins = new ArrayList<>();
		for (RoomClient client : clients) {
			assignedRooms(client.index()).forEach((room) -> joins.add(client.join(room)));
		}
		CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		// Half each, unless a handshake timed out on a busy machine and its client went
		// to
		// the other server: each server still holds a good share of them.
		assertThat(clients).extracting(RoomClient::nodeId)
			.containsOnly(cluster.get(0).nodeId, cluster.get(2).nodeId)
			.filteredOn(cluster.get(0).nodeId::equals)
			.hasSizeBetween(CLIENTS / 4, CLIENTS * 3 / 4);

		load = Executors.newScheduledThreadPool(3);
		load.scheduleAtFixedRate(() -> enqueue(tasks), 0, 1000_000 / JOBS_PER_SECOND, TimeUnit.MICROSECONDS);
		load.scheduleAtFixedRate(() -> callEveryNode(rpc, cluster), 0, 1000 / CALLS_PER_SECOND, TimeUnit.MILLISECONDS);
		load.scheduleAtFixedRate(() -> sampleLeader(tasks), 0, 200, TimeUnit.MILLISECONDS);
		letTheLoadRun(redisTemplate, Duration.ofSeconds(3));

		long rollStartedAt = System.nanoTime();
		long rollStartedAtMillis = System.currentTimeMillis();
		for (int round = 1; round <= ROUNDS; round++) {
			for (Node node : cluster) {
				this.restarts.add(restart(node, round, nodes, rpc, connections, chatRooms, tasks));
				letTheLoadRun(redisTemplate, Duration.ofSeconds(2));
			}
		}
		long rollMillis = millisSince(rollStartedAt);
		letTheLoadRun(redisTemplate, Duration.ofSeconds(2));
		load.shutdown();
		assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		long loadEndedAt = System.currentTimeMillis();

		// Every call ends, at the latest at its timeout.
		await().atMost(RPC_TIMEOUT.plus(RPC_SLACK).plusSeconds(2))
			.untilAsserted(() -> assertThat(this.calls).allMatch(Call::isDone));
		// Every job runs: those stranded by a stopping worker once their lease lapses.
		try {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> redisTemplate.opsForHash().size(RollingTasks.RUNS) >= this.enqueued.size()
						&& queue(tasks).waiting() == 0 && queue(tasks).running() == 0 && queue(tasks).delayed() == 0);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// Reported by the assertions below, with the missing jobs.
		}
		// Every client is back, and the directory has caught up with the last closes.
		try {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> clients.stream().allMatch(RoomClient::isSettled) && roomsAreRight(chatRooms));
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// Reported by the assertions below.
		}

		Map<Object, Object> runs = redisTemplate.opsForHash().entries(RollingTasks.RUNS);
		Map<Object, Object> starts = redisTemplate.opsForHash().entries(RollingTasks.STARTS);
		Map<Long, Long> ticks = new TreeMap<>();
		redisTemplate.opsForHash()
			.entries(RollingTasks.TICKS)
			.forEach((period, count) -> ticks.put(Long.parseLong((String) period), Long.parseLong((String) count)));
		report(runs, starts, ticks, redisTemplate.opsForHash().entries(RollingTasks.TICK_RUNS), tasks, rollMillis,
				millisSince(startedAt));

		assertJobs(runs, starts, tasks);
		assertCalls();
		assertClients(chatRooms);
		assertTicks(ticks, rollStartedAtMillis, loadEndedAt);
	}

	private ConfigurableApplicationContext startDriver() {
		// Command line arguments, which win over the sample's application.yml.
		return new SpringApplicationBuilder(RollingDriver.class).web(WebApplicationType.NONE)
			.run(common("server").toArray(String[]::new));
	}

	/** What every node of the test's cluster is started with. */
	private List<String> common(String role) {
		return List.of("--cluster.transport=redis", "--cluster.role=" + role, "--cluster.namespace=" + this.namespace,
				"--cluster.server-token=" + TOKEN, "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--cluster.heartbeat-interval=500ms",
				"--cluster.node-timeout=3s", "--cluster.rpc-timeout=" + RPC_TIMEOUT.toMillis() + "ms",
				// Jobs that a stopping worker's last claim took, and never started, run
				// once their lease lapses; a short lease keeps the wait short.
				"--cluster.tasks.lease=5s",
				// Shorter than a long job: a stopping worker hands those back.
				"--cluster.tasks.shutdown-timeout=1s", "--cluster.tasks.queues=default," + RollingTasks.QUEUE,
				"--cluster.dashboard.enabled=false", "--management.health.redis.enabled=true",
				"--spring.application.name=rolling");
	}

	private void launch(Node node) {
		long generation = this.generations.computeIfAbsent(node.name, (name) -> new AtomicLong()).incrementAndGet();
		node.log = LOGS.resolve(node.name + "-" + generation + ".log");
		List<String> command = new ArrayList<>(
				List.of(javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
						testClassPath(), RollingNode.class.getName(), "--spring.profiles.active=redis," + node.role,
						"--server.port=" + node.port, "--server.address=127.0.0.1"));
		command.addAll(common(node.role));
		try {
			node.launchedAt = System.nanoTime();
			node.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(node.log.toFile())
				.start();
			processes.add(node.process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits until the node's readiness probe answers 200 (it includes the cluster
	 * contributor: the node has joined) and the driver sees it as a member.
	 */
	private void awaitReady(Node node, ClusterNodes nodes) {
		Process process = node.process;
		await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (!process.isAlive()) {
				fail(node.name + " exited with " + process.exitValue() + " while starting:\n" + tail(node.log));
			}
			return get(node, "/actuator/health/readiness") == 200;
		});
		JsonNode view = json.readTree(body(node, "/cluster"));
		node.nodeId = view.path("self").path("id").asString();
		assertThat(view.path("self").path("pid").asLong()).isEqualTo(process.pid());
		await().atMost(Duration.ofSeconds(10)).until(() -> nodes.isMember(node.nodeId));
		node.readyAt = System.nanoTime();
	}

	private Restart restart(Node node, int round, ClusterNodes nodes, ClusterRpc rpc, ClusterConnections connections,
			ChatRooms chatRooms, ClusterTasks tasks) throws InterruptedException {
		String oldId = node.nodeId;
		Process old = node.process;
		String handedBack = null;
		if (node.role.equals("worker")) {
			// SIGTERM while the worker runs a long job that has more left to run than the
			// shutdown timeout: the worker must hand it back.
			handedBack = await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> freshLongJob(tasks, oldId), java.util.Objects::nonNull);
		}
		long sigterm = System.nanoTime();
		// On Linux, Process.destroy() sends SIGTERM (destroyForcibly() sends SIGKILL);
		// the exit status 143 (128 + 15) below proves it.
		old.destroy();
		if (!old.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			old.destroyForcibly();
			fail(node.name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n" + tail(node.log));
		}
		long exited = System.nanoTime();
		node.rpcTarget = null;
		assertThat(old.exitValue()).as("exit status of %s after SIGTERM", node.name).isEqualTo(143);
		if (node.role.equals("server")) {
			// A stopping server closes its connections and waits for them to leave the
			// directory and their rooms before it goes: none is left behind at its exit.
			assertThat(connections.count(oldId)).as("connections of %s at its exit", oldId).isZero();
			for (int i = 0; i < ROOMS; i++) {
				assertThat(chatRooms.status(room(i))).as("members of %s on %s at its exit", room(i), oldId)
					.noneMatch((member) -> member.nodeId().equals(oldId));
			}
		}
		// A call to the id of a node that is gone fails at once.
		await().atMost(Duration.ofSeconds(10)).until(() -> !nodes.isMember(oldId));
		CompletableFuture<String> toGone = rpc.call(oldId, RollingTasks.ECHO, String.class, "gone");
		assertThat(toGone).isCompletedExceptionally();
		assertThat(toGone.handle((value, ex) -> ex).join()).isInstanceOf(UnknownNodeException.class)
			.hasMessageContaining(oldId);

		launch(node);
		awaitReady(node, nodes);
		node.rpcTarget = node.nodeId;
		Restart restart = new Restart(node.name, round, oldId, node.nodeId, Duration.ofNanos(exited - sigterm),
				Duration.ofNanos(node.readyAt - node.launchedAt), sigterm, exited, handedBack);
		System.out.printf("Restart %d of %s: %s stopped in %d ms; %s ready in %d ms%n", round, node.name, oldId,
				restart.stop().toMillis(), node.nodeId, restart.ready().toMillis());
		return restart;
	}

	/**
	 * Lets the load run for a while: at least the given time, and until at least a
	 * hundred more jobs have run, so that every pause between restarts sees work done.
	 */
	private void letTheLoadRun(StringRedisTemplate redis, Duration duration) {
		long before = redis.opsForHash().size(RollingTasks.RUNS);
		await().pollDelay(duration)
			.atMost(duration.plusSeconds(60))
			.until(() -> redis.opsForHash().size(RollingTasks.RUNS) >= before + 100);
	}

	/**
	 * A long job that the node runs, started less than half a second ago: it has more
	 * than two seconds left to run, more than twice the shutdown timeout.
	 */
	private static String freshLongJob(ClusterTasks tasks, String nodeId) {
		Instant recent = Instant.now().minusMillis(500);
		return tasks.workingOn()
			.getOrDefault(nodeId, List.of())
			.stream()
			.filter((job) -> job.task().equals(RollingTasks.JOB) && job.args() != null && job.startedAt() != null
					&& job.startedAt().isAfter(recent))
			.map((job) -> json.readTree(job.args()).asString())
			.filter((number) -> Long.parseLong(number) % RollingTasks.LONG_EVERY == 0)
			.findFirst()
			.orElse(null);
	}

	private void enqueue(ClusterTasks tasks) {
		String number = Long.toString(this.sequence.incrementAndGet());
		try {
			tasks.enqueue(RollingTasks.JOB, number);
			this.enqueued.add(number);
		}
		catch (RuntimeException ex) {
			this.enqueueFailures.add(number + ": " + ex);
		}
	}

	private void callEveryNode(ClusterRpc rpc, List<Node> cluster) {
		for (Node node : cluster) {
			String target = node.rpcTarget;
			if (target == null) {
				continue;
			}
			Call call = new Call(target, System.nanoTime());
			this.calls.add(call);
			try {
				rpc.call(target, RollingTasks.ECHO, String.class, "ping").whenComplete(call::end);
			}
			catch (RuntimeException ex) {
				call.end(null, ex);
			}
		}
	}

	private void sampleLeader(ClusterTasks tasks) {
		String leader = tasks.schedulerLeader().orElse("-");
		if (this.leaders.isEmpty() || !this.leaders.get(this.leaders.size() - 1).equals(leader)) {
			this.leaders.add(leader);
		}
	}

	private void report(Map<Object, Object> runs, Map<Object, Object> starts, Map<Long, Long> ticks,
			Map<Object, Object> tickRuns, ClusterTasks tasks, long rollMillis, long totalMillis) {
		StringBuilder out = new StringBuilder("\n==== Rolling restart ====\n");
		for (Restart restart : this.restarts) {
			out.append(String.format("round %d %-8s stop %5d ms  ready %6d ms  (%s -> %s)%s%n", restart.round(),
					restart.node(), restart.stop().toMillis(), restart.ready().toMillis(), restart.oldId(),
					restart.newId(),
					(restart.handedBack() != null) ? ", stopped while running long job " + restart.handedBack() : ""));
		}
		RoomClient worst = clients.stream().max((a, b) -> a.worstGap().compareTo(b.worstGap())).orElseThrow();
		out.append(String.format("worst client gap: %d ms (client %d); reconnections: %d; closes: %s%n",
				worst.worstGap().toMillis(), worst.index(), clients.stream().mapToInt(RoomClient::reconnections).sum(),
				clients.stream()
					.flatMap((client) -> client.closes().stream())
					.collect(Collectors.groupingBy((close) -> close, TreeMap::new, Collectors.counting()))));
		out.append(String.format(
				"jobs enqueued: %d, enqueues failed: %d, distinct jobs run: %d, runs: %d, starts: %d (jobs started more than once: %s); %s%n",
				this.enqueued.size(), this.enqueueFailures.size(), runs.size(), sum(runs.values()),
				sum(starts.values()),
				starts.entrySet()
					.stream()
					.filter((entry) -> !"1".equals(entry.getValue()))
					.map((entry) -> entry.getKey() + "x" + entry.getValue())
					.toList(),
				queue(tasks)));
		List<Call> failures = this.calls.stream().filter((call) -> call.failure != null).toList();
		out.append(
				String.format("rpc calls: %d, failed: %d %s, longest call: %d ms%n", this.calls.size(), failures.size(),
						failures.stream()
							.collect(Collectors.groupingBy((call) -> call.failure.getClass().getSimpleName(),
									Collectors.counting())),
						this.calls.stream().mapToLong(Call::millis).max().orElse(0)));
		for (Restart restart : this.restarts) {
			List<Call> failed = failures.stream().filter((call) -> call.target.equals(restart.oldId())).toList();
			if (!failed.isEmpty()) {
				// Each as its start and its duration, in ms from the SIGTERM.
				out.append(
						String
							.format("  calls to %s that failed, from its SIGTERM (exit at %d ms): %s%n",
									restart.oldId(), restart.stop().toMillis(),
									failed.stream()
										.collect(
												Collectors
													.groupingBy(
															(call) -> call.failure.getClass()
																.getSimpleName(),
															Collectors.mapping(
																	(call) -> TimeUnit.NANOSECONDS
																		.toMillis(call.startedAt - restart.sigtermAt())
																			+ "+" + call.millis(),
																	Collectors.toList())))));
			}
		}
		out.append(String.format(
				"recurring periods: %d, runs: %d, latest start after its period began: %d ms, leaders seen: %s%n",
				ticks.size(), ticks.values().stream().mapToLong(Long::longValue).sum(),
				tickRuns.values()
					.stream()
					.mapToLong((run) -> Long.parseLong(((String) run).split(" ")[1]))
					.max()
					.orElse(0),
				this.leaders));
		out.append(String.format("roll took %d ms, the whole test %d ms%n", rollMillis, totalMillis));
		System.out.println(out);
		try {
			Files.writeString(LOGS.resolve("summary.txt"), out.toString(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void assertJobs(Map<Object, Object> runs, Map<Object, Object> starts, ClusterTasks tasks) {
		assertThat(this.enqueueFailures).as("enqueues that failed").isEmpty();
		assertThat(this.enqueued).as("jobs enqueued").hasSizeGreaterThan(1000);
		Set<String> lost = this.enqueued.stream()
			.filter((number) -> !runs.containsKey(number))
			.collect(Collectors.toCollection(java.util.TreeSet::new));
		assertThat(lost).as("jobs that never ran").isEmpty();
		Map<Object, Object> twice = runs.entrySet()
			.stream()
			.filter((entry) -> !"1".equals(entry.getValue()))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(twice).as("jobs that ran more than once").isEmpty();
		assertThat(runs.keySet()).as("runs of jobs never enqueued").allMatch(this.enqueued::contains);
		// Each worker was stopped while it ran a long job with more than the shutdown
		// timeout left: it handed the job back, and the job then ran (once) elsewhere.
		for (Restart restart : this.restarts) {
			if (restart.handedBack() != null) {
				assertThat(starts.get(restart.handedBack()))
					.as("starts of job %s, which %s ran when it was stopped", restart.handedBack(), restart.oldId())
					.isNotEqualTo("1");
			}
		}
		assertThat(this.restarts).filteredOn((restart) -> restart.handedBack() != null).hasSize(2 * ROUNDS);
		assertThat(tasks.failed(RollingTasks.QUEUE)).as("failed jobs").isEmpty();
		assertThat(tasks.failed("default")).as("failed recurring runs").isEmpty();
	}

	private void assertCalls() {
		assertThat(this.calls).as("rpc calls").hasSizeGreaterThan(1000);
		for (Call call : this.calls) {
			assertThat(call.millis()).as("duration of a call to %s", call.target)
				.isLessThanOrEqualTo(RPC_TIMEOUT.plus(RPC_SLACK).toMillis());
			if (call.failure == null) {
				assertThat(call.value).isEqualTo(call.target + ":ping");
				continue;
			}
			assertThat(call.failure).as("failure of a call to %s", call.target)
				.isInstanceOfAny(ClusterRpcException.class, UnknownNodeException.class)
				.hasMessageContaining(call.target);
			Restart restart = this.restarts.stream()
				.filter((candidate) -> candidate.oldId().equals(call.target))
				.findFirst()
				.orElse(null);
			assertThat(restart).as("restart of %s, whose call failed with %s", call.target, call.failure).isNotNull();
			// It failed while its target was stopping: it ended after the SIGTERM, and
			// started before the old process had exited.
			assertThat(call.endedAt).as("end of a failed call to %s: %s", call.target, call.failure)
				.isGreaterThanOrEqualTo(restart.sigtermAt());
			assertThat(call.startedAt).as("start of a failed call to %s: %s", call.target, call.failure)
				.isLessThanOrEqualTo(restart.exitedAt());
		}
	}

	private void assertClients(ChatRooms chatRooms) {
		for (RoomClient client : clients) {
			assertThat(client.errors()).as("errors of client %d", client.index()).isEmpty();
			assertThat(client.isSettled()).as("client %d connected and in its rooms", client.index()).isTrue();
			assertThat(client.rooms()).as("rooms of client %d", client.index())
				.isEqualTo(assignedRooms(client.index()));
			assertThat(client.reconnections()).as("reconnections of client %d", client.index()).isPositive();
			// Each connection it had was closed by a stopping node, as such; an attempt
			// that found no server listening is no close of a connection.
			assertThat(client.closes()).as("closes seen by client %d", client.index())
				.allMatch((close) -> close.equals("1000 the node is stopping")
						|| close.startsWith("1006 could not connect"));
		}
		for (int i = 0; i < ROOMS; i++) {
			assertThat(members(chatRooms, room(i))).as("members of %s", room(i)).isEqualTo(expectedMembers(room(i)));
		}
	}

	private void assertTicks(Map<Long, Long> ticks, long rollStartedAt, long loadEndedAt) {
		long period = RollingTasks.TICK_MILLIS;
		assertThat(ticks).as("recurring runs").isNotEmpty();
		long first = ticks.keySet().iterator().next();
		long last = ((TreeMap<Long, Long>) ticks).lastKey();
		// The periods checked cover the whole roll.
		assertThat(first).as("first period").isLessThanOrEqualTo(rollStartedAt);
		assertThat(last).as("last period").isGreaterThanOrEqualTo(loadEndedAt - 2 * period);
		Map<Long, Long> wrong = new TreeMap<>();
		for (long start = first; start <= last; start += period) {
			long count = ticks.getOrDefault(start, 0L);
			if (count != 1) {
				wrong.put(start, count);
			}
		}
		assertThat(wrong).as("periods without exactly one run").isEmpty();
		// The scheduler moved: more than one worker led, one after the other.
		assertThat(this.leaders.stream().filter((leader) -> !leader.equals("-")).distinct()).as("scheduler leaders")
			.hasSizeGreaterThanOrEqualTo(2)
			.allMatch((leader) -> leader.startsWith("rolling-worker-"));
		assertThat(ticks.keySet()).as("periods").allMatch((start) -> (start - first) % period == 0);
	}

	private boolean roomsAreRight(ChatRooms chatRooms) {
		for (int i = 0; i < ROOMS; i++) {
			if (!members(chatRooms, room(i)).equals(expectedMembers(room(i)))) {
				return false;
			}
		}
		return true;
	}

	private static Set<String> members(ChatRooms chatRooms, String room) {
		return chatRooms.status(room).stream().map(RoomMember::connectionId).collect(Collectors.toSet());
	}

	private static Set<String> expectedMembers(String room) {
		return clients.stream()
			.filter((client) -> assignedRooms(client.index()).contains(room))
			.map(RoomClient::connectionId)
			.collect(Collectors.toSet());
	}

	/** One room for every client, a second one for every other client. */
	private static Set<String> assignedRooms(int client) {
		return (client % 2 == 0)
				? Set.of(room(client % ROOMS), room((client % ROOMS + 1 + (client / ROOMS) % (ROOMS - 1)) % ROOMS))
				: Set.of(room(client % ROOMS));
	}

	private static String room(int i) {
		return "room-" + i;
	}

	private static long sum(Collection<Object> counts) {
		return counts.stream().mapToLong((count) -> Long.parseLong((String) count)).sum();
	}

	private static QueueStats queue(ClusterTasks tasks) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals(RollingTasks.QUEUE))
			.findFirst()
			.orElseThrow();
	}

	private static int get(Node node, String path) {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static String body(Node node, String path) {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/**
	 * The test's class path. Surefire may start the test JVM from a jar that only has a
	 * manifest, whose {@code java.class.path} is that jar alone; it gives the whole class
	 * path in {@code surefire.test.class.path}.
	 */
	private static String testClassPath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	/** One of the four nodes, through its successive processes. */
	private static final class Node {

		final String name;

		final String role;

		final int port;

		Process process;

		Path log;

		String nodeId;

		long launchedAt;

		long readyAt;

		/** The id the load calls, none while the node is replaced. */
		volatile String rpcTarget;

		Node(String name, String role, int port) {
			this.name = name;
			this.role = role;
			this.port = port;
		}

	}

	private record Restart(String node, int round, String oldId, String newId, Duration stop, Duration ready,
			long sigtermAt, long exitedAt, String handedBack) {
	}

	/** An RPC call of the load. */
	private static final class Call {

		final String target;

		final long startedAt;

		volatile long endedAt;

		volatile String value;

		volatile Throwable failure;

		Call(String target, long startedAt) {
			this.target = target;
			this.startedAt = startedAt;
		}

		void end(String value, Throwable failure) {
			this.value = value;
			this.failure = (failure instanceof CompletionException) ? failure.getCause() : failure;
			this.endedAt = System.nanoTime();
		}

		boolean isDone() {
			return this.endedAt != 0;
		}

		long millis() {
			return TimeUnit.NANOSECONDS.toMillis((isDone() ? this.endedAt : System.nanoTime()) - this.startedAt);
		}

	}

}
