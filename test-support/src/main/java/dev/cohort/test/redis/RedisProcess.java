package dev.cohort.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} process (standalone, Sentinel or Cluster node) on a free
 * loopback port, with its own temporary directory.
 */
final class RedisProcess implements RedisInstance {

	static final String HOST = "127.0.0.1";

	static final String LOG_FILE = "redis.log";

	private static final String CONSOLE_FILE = "console.log";

	private static final int MAX_ATTEMPTS = 5;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final int LOG_TAIL_LINES = 25;

	/**
	 * Ports never to hand out: the machine's own Redis and Sentinel defaults.
	 */
	private static final Set<Integer> RESERVED_PORTS = Set.of(6379, 26379, 16379);

	private static final Set<Integer> handedOutPorts = ConcurrentHashMap.newKeySet();

	private static final Logger logger = LoggerFactory.getLogger(RedisProcess.class);

	private volatile Process process;

	private final List<String> command;

	private final int port;

	private final Path directory;

	private final String role;

	private volatile String description;

	private volatile boolean closed;

	private RedisProcess(Process process, List<String> command, int port, Path directory, String role) {
		this.process = process;
		this.command = List.copyOf(command);
		this.port = port;
		this.directory = directory;
		this.role = role;
		this.description = describe(process, role, port, directory);
	}

	private static String describe(Process process, String role, int port, Path directory) {
		return role + " redis-server (pid " + process.pid() + ") on " + HOST + ":" + port + " in " + directory;
	}

	/**
	 * Start a {@code redis-server} process and wait until it answers {@code PING}. If the
	 * chosen port was taken in the meantime, try again with another one.
	 * @param binary the {@code redis-server} binary
	 * @param role what the process is for, used in directory names and messages
	 * @param arguments the command line arguments (after the binary) for a given
	 * directory and port
	 * @return the running process
	 * @throws IllegalStateException if the process does not start
	 */
	static RedisProcess start(Path binary, String role, Arguments arguments) {
		for (int attempt = 1;; attempt++) {
			int port = freePort();
			Path directory = createDirectory(role);
			List<String> command = new ArrayList<>();
			command.add(binary.toString());
			try {
				command.addAll(arguments.create(directory, port));
			}
			catch (IOException ex) {
				deleteRecursively(directory);
				throw new UncheckedIOException("Could not prepare " + role + " in " + directory, ex);
			}
			RedisProcess started = launch(command, port, directory, role);
			Startup startup;
			try {
				startup = started.awaitStartup();
			}
			catch (RuntimeException ex) {
				started.kill();
				started.close();
				throw ex;
			}
			if (startup == Startup.READY) {
				logger.debug("Started {}", started);
				return started;
			}
			String failure = started.failureMessage(startup, command);
			started.kill();
			started.close();
			if (startup != Startup.PORT_TAKEN || attempt == MAX_ATTEMPTS) {
				throw new IllegalStateException(failure);
			}
			logger.debug("Port {} was taken before {} could bind it, trying another one", port, role);
		}
	}

	/**
	 * Arguments for a standalone server without persistence.
	 * @param extraArgs additional configuration arguments, such as
	 * {@code --replicaof 127.0.0.1 6380}
	 * @return the arguments
	 */
	static Arguments standalone(List<String> extraArgs) {
		List<String> extra = List.copyOf(extraArgs);
		return (directory, port) -> {
			List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--bind", HOST, "--save", "",
					"--appendonly", "no", "--daemonize", "no", "--dir", directory.toString(), "--logfile",
					directory.resolve(LOG_FILE).toString()));
			args.addAll(extra);
			return args;
		};
	}

	private static RedisProcess launch(List<String> command, int port, Path directory, String role) {
		Process process;
		try {
			process = spawn(command, directory);
		}
		catch (IOException ex) {
			deleteRecursively(directory);
			throw new UncheckedIOException("Could not run " + command.get(0), ex);
		}
		RedisProcess started = new RedisProcess(process, command, port, directory, role);
		LiveInstances.add(started);
		return started;
	}

	private static Process spawn(List<String> command, Path directory) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(CONSOLE_FILE).toFile()));
		Process process = builder.start();
		closeQuietly(process);
		return process;
	}

	private static void closeQuietly(Process process) {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// redis-server does not read its standard input anyway
		}
	}

	/**
	 * A free TCP port on the loopback interface. The port is only free when this method
	 * returns; {@link #start} copes with losing the race for it.
	 * @return a port number
	 */
	static int freePort() {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
				int port = socket.getLocalPort();
				if (!RESERVED_PORTS.contains(port) && handedOutPorts.add(port)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not find a free port on " + HOST, ex);
			}
		}
	}

	private static Path createDirectory(String role) {
		try {
			return Files.createTempDirectory("cohort-redis-" + role + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory", ex);
		}
	}

	private Startup awaitStartup() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		String expectedPid = String.valueOf(this.process.pid());
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				return logContains("Address already in use") ? Startup.PORT_TAKEN : Startup.EXITED;
			}
			try (RespClient client = RespClient.connect(HOST, this.port)) {
				client.call("PING");
				// Make sure it is our process that answers and not one that won the race
				// for the port (ours will then fail to bind and exit)
				if (expectedPid.equals(client.info("server").get("process_id"))) {
					return Startup.READY;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			pause(20);
		}
		return Startup.TIMED_OUT;
	}

	private String failureMessage(Startup startup, List<String> command) {
		StringBuilder message = new StringBuilder();
		message.append(this.description);
		if (startup == Startup.TIMED_OUT) {
			message.append(" did not answer PING within ").append(START_TIMEOUT.toSeconds()).append("s");
		}
		else {
			message.append(" exited with code ").append(this.process.exitValue());
			if (startup == Startup.PORT_TAKEN) {
				message.append(" (port taken, gave up after ").append(MAX_ATTEMPTS).append(" attempts)");
			}
		}
		message.append("\nCommand: ").append(String.join(" ", command));
		message.append("\n").append(logTail());
		return message.toString();
	}

	/**
	 * The last lines of the log file and of the console output, for error messages.
	 * @return the log tail
	 */
	String logTail() {
		StringBuilder tail = new StringBuilder();
		for (String file : List.of(LOG_FILE, CONSOLE_FILE)) {
			List<String> lines = readLines(this.directory.resolve(file));
			tail.append("Last lines of ").append(file).append(":");
			if (lines.isEmpty()) {
				tail.append(" (empty)\n");
			}
			else {
				tail.append("\n");
				lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
					.forEach((line) -> tail.append("  ").append(line).append("\n"));
			}
		}
		return tail.toString();
	}

	private boolean logContains(String text) {
		return Stream.of(LOG_FILE, CONSOLE_FILE)
			.flatMap((file) -> readLines(this.directory.resolve(file)).stream())
			.anyMatch((line) -> line.contains(text));
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
		}
		catch (IOException | UncheckedIOException ex) {
			return List.of("(could not read " + file + ": " + ex + ")");
		}
	}

	@Override
	public String host() {
		return HOST;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public void stop() {
		if (this.process.isAlive()) {
			// A paused process would not act on SIGTERM until it is resumed.
			signalQuietly("CONT");
			this.process.destroy();
			if (!waitFor(STOP_TIMEOUT)) {
				logger.warn("{} did not stop within {}s, killing it", this.description, STOP_TIMEOUT.toSeconds());
				kill();
			}
		}
	}

	@Override
	public void kill() {
		this.process.destroyForcibly();
		if (!waitFor(STOP_TIMEOUT)) {
			throw new IllegalStateException(this.description + " did not die after SIGKILL");
		}
	}

	private boolean waitFor(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

	@Override
	public boolean isRunning() {
		return this.process.isAlive();
	}

	@Override
	public void pause() {
		signal("STOP");
	}

	@Override
	public void resume() {
		signal("CONT");
	}

	private void signalQuietly(String signal) {
		try {
			signal(signal);
		}
		catch (RuntimeException ex) {
			// It may have exited meanwhile: stop() copes either way
		}
	}

	private void signal(String signal) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException(this.description + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid()))
				.redirectErrorStream(true)
				.start();
			if (!kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("Could not send SIG" + signal + " to " + this.description);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run kill -" + signal, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + this.description, ex);
		}
	}

	@Override
	public void restart() {
		if (this.process.isAlive()) {
			throw new IllegalStateException(this.description + " is still running: stop or kill it first");
		}
		if (this.closed) {
			throw new IllegalStateException(this.description + " is closed");
		}
		for (int attempt = 1;; attempt++) {
			try {
				this.process = spawn(this.command, this.directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not run " + this.command.get(0), ex);
			}
			this.description = describe(this.process, this.role, this.port, this.directory);
			Startup startup = awaitStartup();
			if (startup == Startup.READY) {
				return;
			}
			// The port may linger in TIME_WAIT for a moment after a kill: try again.
			kill();
			if (startup != Startup.PORT_TAKEN || attempt == MAX_ATTEMPTS) {
				throw new IllegalStateException(failureMessage(startup, this.command));
			}
			pause(200);
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		try {
			stop();
		}
		finally {
			if (!this.process.isAlive()) {
				this.closed = true;
				deleteRecursively(this.directory);
				LiveInstances.remove(this);
			}
		}
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// Best effort: it is a temporary directory
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
		}
	}

	@Override
	public String toString() {
		return this.description;
	}

	/**
	 * The command line arguments of a {@code redis-server} process.
	 */
	@FunctionalInterface
	interface Arguments {

		/**
		 * The arguments (after the binary) for a process that is to use the given
		 * directory and port. Called again with a new port if the port was taken.
		 * @param directory the process's own, empty, temporary directory
		 * @param port the port to listen on
		 * @return the arguments
		 * @throws IOException if a file (such as a configuration file) cannot be written
		 */
		List<String> create(Path directory, int port) throws IOException;

	}

	private enum Startup {

		READY, PORT_TAKEN, EXITED, TIMED_OUT

	}

}
