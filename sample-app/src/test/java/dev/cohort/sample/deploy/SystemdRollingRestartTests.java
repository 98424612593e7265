package dev.cohort.sample.deploy;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.cohort.sample.SampleApplication;
import dev.cohort.sample.cluster.ClusterView;
import dev.cohort.sample.cluster.NodeView;
import dev.cohort.test.redis.RedisServer;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/systemd/rolling-restart.sh run for real against two worker nodes of the sample
 * app, each a real JVM on a Redis server of the test's own (two, not more, to keep the
 * test near a minute: each start takes a JVM 10 to 20 s on a busy machine).
 * <p>
 * systemd is not PID 1 here, so {@code systemctl} cannot run the unit. The script's
 * restart step is pluggable, and the test passes it a shim that does what
 * {@code systemctl restart cohort@<port>.service} does for plain processes: SIGTERM to
 * the old process, wait for its exit, start the new one. The new one runs the unit file's
 * own command: its {@code ExecStart=} with {@code %i}, {@code $JAVA_OPTS} and
 * {@code ${CREDENTIALS_DIRECTORY}} expanded, its {@code Environment=} and
 * {@code EnvironmentFile=} ({@code /etc/cohort/} stands for a directory of the test's
 * own), and the token as {@code LoadCredential=} exposes it, in a credentials directory.
 * Only {@code -jar /opt/cohort/app.jar} becomes the test's class path (the jar is not
 * built in the test phase). The readiness check is the script's own default: curl on
 * {@code /actuator/health/readiness} of the instance's port.
 */
@TestMethodOrder(OrderAnnotation.class)
class SystemdRollingRestartTests {

	private static final String TOKEN = "systemd-rolling-restart-tests-token-0123456789";

	private static final Duration READY = Duration.ofSeconds(90);

	private static RedisServer redis;

	private static Path home;

	private static final List<String> instances = new ArrayList<>();

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

	@BeforeAll
	static void startInstances() throws Exception {
		for (String tool : List.of("bash", "curl", "setsid", "ps")) {
			assumeTrue(onPath(tool), tool + " is not installed: the rolling restart is not run");
		}
		redis = RedisServer.start();
		home = Files.createTempDirectory("cohort-rolling-restart");
		Files.createDirectories(home.resolve("etc"));
		Files.createDirectories(home.resolve("run"));
		// What an operator puts in /etc/cohort: this host's settings, and the token.
		Files.writeString(home.resolve("etc/cohort.env"),
				String.join("\n", "SPRING_PROFILES_ACTIVE=redis,worker", "REDIS_HOST=" + redis.host(),
						"REDIS_PORT=" + redis.port(), "JAVA_OPTS=-Xmx256m -XX:TieredStopAtLevel=1 -Xshare:auto",
						"CLUSTER_NAMESPACE=rolling-" + UUID.randomUUID().toString().substring(0, 8),
						"CLUSTER_HEARTBEAT_INTERVAL=200ms", "CLUSTER_NODE_TIMEOUT=1500ms",
						"CLUSTER_TASKS_SHUTDOWN_TIMEOUT=2s", "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE=5s", ""));
		Files.writeString(home.resolve("etc/server-token"), TOKEN + "\n");
		Path shim = home.resolve("restart.sh");
		Files.writeString(shim, RESTART_SHIM);
		Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
		for (int i = 0; i < 2; i++) {
			instances.add(String.valueOf(freePort()));
		}
		writeStartScripts();
		for (String instance : instances) {
			assertThat(run(List.of(shim.toString(), instance), Duration.ofSeconds(30)).exitCode).isZero();
		}
		for (String instance : instances) {
			awaitReady(instance);
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> cluster(instances.get(0)).members().size() == 2);
	}

	@AfterAll
	static void stopInstances() throws Exception {
		if (home != null) {
			for (String instance : instances) {
				stop(pid(instance));
			}
		}
		if (redis != null) {
			redis.close();
		}
		if (home != null) {
			FileSystemUtils.deleteRecursively(home);
		}
	}

	@Test
	@Order(1)
	void restartsEveryInstanceOneAtATimeEachReadyBeforeTheNext() throws Exception {
		Map<String, Long> before = pids();
		ReadinessMonitor monitor = new ReadinessMonitor();
		monitor.start();
		Result result;
		try {
			result = rollingRestart(60, instances);
		}
		finally {
			monitor.stop();
		}
		assertThat(result.exitCode).as(result.output).isZero();

		// The script's own account: restart, ready, then the next.
		Pattern step = Pattern.compile("rolling-restart: (\\S+): (restarting|ready after)");
		List<String> steps = result.output.lines()
			.map(step::matcher)
			.filter(Matcher::find)
			.map((matcher) -> matcher.group(1) + " " + matcher.group(2))
			.toList();
		List<String> expected = new ArrayList<>();
		for (String instance : instances) {
			expected.add(instance + " restarting");
			expected.add(instance + " ready after");
		}
		assertThat(steps).as(result.output).containsExactlyElementsOf(expected);

		// Every instance is a new process, the one the shim started, and a member again.
		Map<String, Long> after = pids();
		for (String instance : instances) {
			assertThat(after.get(instance)).as(instance).isNotEqualTo(before.get(instance));
			assertThat(cluster(instance).self().pid()).isEqualTo(after.get(instance));
		}
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(cluster(instances.get(0)).members()).extracting(NodeView::pid)
				.containsExactlyInAnyOrderElementsOf(after.values()));

		// Seen from outside: never two instances not ready at once, each was down once,
		// and in the order given.
		assertThat(monitor.samples).hasSizeGreaterThan(20);
		assertThat(monitor.samples).allSatisfy((down) -> assertThat(down).hasSizeLessThanOrEqualTo(1));
		List<String> downOrder = monitor.samples.stream()
			.filter((down) -> !down.isEmpty())
			.map((down) -> down.iterator().next())
			.distinct()
			.toList();
		assertThat(downOrder).containsExactlyElementsOf(instances);
		List<String> runs = new ArrayList<>();
		for (Set<String> down : monitor.samples) {
			String current = down.isEmpty() ? "" : down.iterator().next();
			if (!current.isEmpty() && (runs.isEmpty() || !runs.get(runs.size() - 1).equals(current))) {
				runs.add(current);
			}
		}
		assertThat(runs).as("each instance down in one stretch, ready before the next went down")
			.containsExactlyElementsOf(instances);
	}

	@Test
	@Order(2)
	void stopsAtAnInstanceThatDoesNotBecomeReadyAndNamesIt() throws Exception {
		String broken = instances.get(0);
		String last = instances.get(1);
		// The optional per-instance file of the unit
		// (EnvironmentFile=-/etc/cohort/cohort-%i.env)
		// with a role that does not exist: that instance fails to start.
		Files.writeString(home.resolve("etc/cohort-" + broken + ".env"), "CLUSTER_ROLE=no-such-role\n");
		writeStartScripts();
		Map<String, Long> before = pids();

		Result result = rollingRestart(10, List.of(broken, last));

		assertThat(result.exitCode).as(result.output).isNotZero();
		assertThat(result.output).contains(broken + ": restarting")
			.contains("ERROR: " + broken + ": not ready within 10s after its restart")
			.doesNotContain(last + ": restarting");
		assertThat(pid(broken)).isNotEqualTo(before.get(broken));
		assertThat(ready(broken)).isFalse();
		assertThat(log(broken)).contains("no-such-role");
		assertThat(pid(last)).as("left alone").isEqualTo(before.get(last));
		assertThat(ready(last)).isTrue();
	}

	private static void awaitReady(String instance) {
		try {
			await().atMost(READY)
				.pollInterval(Duration.ofMillis(500))
				.failFast(() -> !alive(pid(instance)))
				.until(() -> ready(instance));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			String what = alive(pid(instance)) ? " not ready within " + READY : " exited";
			throw new AssertionError("Instance " + instance + what + "; the end of its log:\n" + log(instance), ex);
		}
	}

	private static Result rollingRestart(int timeoutSeconds, List<String> order) throws Exception {
		Path script = DeployRecipesTests.DEPLOY.resolve("systemd/rolling-restart.sh");
		List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--restart-command",
				home.resolve("restart.sh") + " %i", "--timeout", String.valueOf(timeoutSeconds)));
		command.addAll(order);
		Result result = run(command, Duration.ofSeconds(150));
		System.out.println(result.output);
		return result;
	}

	/**
	 * Writes run/INSTANCE.start for every instance: the unit's ExecStart with its
	 * environment, as systemd would start cohort@INSTANCE.service.
	 */
	private static void writeStartScripts() throws IOException {
		SystemdUnit unit = SystemdUnit.read(DeployRecipesTests.DEPLOY.resolve("systemd/cohort@.service"));
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		for (String instance : instances) {
			Map<String, String> environment = new LinkedHashMap<>();
			environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
			environment.put("HOME", home.toString());
			environment.putAll(unit.environment(instance, (file) -> {
				assertThat(file).startsWith("/etc/cohort/");
				return home.resolve("etc").resolve(file.substring("/etc/cohort/".length()));
			}));
			// LoadCredential=NAME:PATH: a copy of PATH as $CREDENTIALS_DIRECTORY/NAME.
			Path credentials = Files.createDirectories(home.resolve("run/credentials/" + instance));
			for (String credential : unit.all("Service.LoadCredential")) {
				String[] nameAndPath = credential.split(":", 2);
				assertThat(nameAndPath[1]).startsWith("/etc/cohort/");
				Path target = credentials.resolve(nameAndPath[0]);
				Files.deleteIfExists(target);
				Files.copy(home.resolve("etc").resolve(nameAndPath[1].substring("/etc/cohort/".length())), target);
				Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
			}
			environment.put("CREDENTIALS_DIRECTORY", credentials.toString());
			List<String> command = new ArrayList<>(unit.execStart(instance, environment));
			int jar = command.indexOf("-jar");
			assertThat(command.get(jar + 1)).isEqualTo("/opt/cohort/app.jar");
			command.subList(jar, jar + 2).clear();
			command.addAll(jar, List.of("-cp", classPath, SampleApplication.class.getName()));
			if (!Files.isExecutable(Path.of(command.get(0)))) {
				command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
			}
			StringBuilder script = new StringBuilder("#!/usr/bin/env bash\n# cohort@" + instance
					+ ".service's ExecStart with its environment\ncd " + quote(home.toString()) + "\nexec env -i");
			environment.forEach((name, value) -> script.append(" \\\n  ").append(quote(name + "=" + value)));
			for (String word : command) {
				script.append(" \\\n  ").append(quote(word));
			}
			script.append('\n');
			Path start = home.resolve("run/" + instance + ".start");
			Files.writeString(start, script);
			Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwx------"));
		}
	}

	/**
	 * What {@code systemctl restart} does for one instance, for plain processes: SIGTERM,
	 * wait for the exit (a zombie counts as exited: nobody may reap it here), start anew.
	 */
	private static final String RESTART_SHIM = """
			#!/usr/bin/env bash
			# restart.sh INSTANCE: stops the process in run/INSTANCE.pid, starts run/INSTANCE.start.
			set -euo pipefail
			run="$(cd "$(dirname "$0")" && pwd)/run"
			instance="$1"
			pidfile="${run}/${instance}.pid"
			alive() {
				local state
				state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
				[[ "${state}" != Z* ]]
			}
			if [[ -f "${pidfile}" ]]; then
				pid="$(<"${pidfile}")"
				if alive "${pid}"; then
					kill -TERM "${pid}"
					for ((i = 0; i < 600; i++)); do
						alive "${pid}" || break
						sleep 0.1
					done
					if alive "${pid}"; then
						echo "restart.sh: ${instance} (pid ${pid}) did not stop within 60s" >&2
						kill -KILL "${pid}"
						exit 1
					fi
				fi
			fi
			setsid "${run}/${instance}.start" >>"${run}/${instance}.log" 2>&1 </dev/null &
			echo "$!" >"${pidfile}"
			""";

	private static Map<String, Long> pids() {
		Map<String, Long> pids = new LinkedHashMap<>();
		for (String instance : instances) {
			pids.put(instance, pid(instance));
		}
		return pids;
	}

	private static long pid(String instance) {
		try {
			Path file = home.resolve("run/" + instance + ".pid");
			return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String log(String instance) {
		try {
			Path file = home.resolve("run/" + instance + ".log");
			if (!Files.exists(file)) {
				return "";
			}
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether the process runs and is not a zombie. */
	private static boolean alive(long pid) {
		try {
			Path stat = Path.of("/proc/" + pid + "/stat");
			if (pid <= 0 || !Files.exists(stat)) {
				return false;
			}
			String text = Files.readString(stat);
			return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void stop(long pid) {
		if (!alive(pid)) {
			return;
		}
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
		try {
			// alive() reads /proc: the instance is no child of this JVM, and a zombie
			// counts
			// as gone.
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> !alive(pid));
		}
		catch (ConditionTimeoutException ex) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private static boolean ready(String instance) {
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + instance + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(1))
				.build();
			return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static ClusterView cluster(String instance) {
		return RestClient.create("http://127.0.0.1:" + instance)
			.get()
			.uri("/cluster")
			.retrieve()
			.body(ClusterView.class);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean onPath(String tool) {
		return List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
			.stream()
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, tool)));
	}

	private static String quote(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

	private static Result run(List<String> command, Duration timeout) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		StringBuilder output = new StringBuilder();
		Thread reader = new Thread(() -> {
			try {
				output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				output.append(ex);
			}
		});
		reader.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish within " + timeout);
		}
		reader.join(5000);
		synchronized (output) {
			return new Result(process.exitValue(), output.toString());
		}
	}

	private record Result(int exitCode, String output) {
	}

	/** Samples the readiness of every instance and records which were not ready. */
	private static final class ReadinessMonitor {

		final List<Set<String>> samples = new CopyOnWriteArrayList<>();

		private final ScheduledExecutorService sampler = Executors
			.newSingleThreadScheduledExecutor((task) -> new Thread(task, "readiness-monitor"));

		void start() {
			this.sampler.scheduleWithFixedDelay(this::sample, 0, 100, TimeUnit.MILLISECONDS);
		}

		void stop() throws InterruptedException {
			this.sampler.shutdown();
			this.sampler.awaitTermination(10, TimeUnit.SECONDS);
		}

		private void sample() {
			this.samples.add(instances.stream()
				.filter((instance) -> !ready(instance))
				.collect(Collectors.toCollection(HashSet::new)));
		}

	}

}
