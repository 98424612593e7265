package dev.cohort.test.redis;

import java.util.List;

/**
 * A real, standalone Redis server for tests: a {@code redis-server} process on a free
 * port of {@code 127.0.0.1}, without persistence, with its own temporary directory (or,
 * when there is no {@code redis-server} binary but Docker is available, a {@code redis:7}
 * container).
 * <p>
 * Typical use, one server per test class: <pre class="code">
 * static RedisServer redis = RedisServer.start();
 *
 * &#64;AfterAll
 * static void stopRedis() {
 *     redis.close();
 * }
 * </pre> Tests that only need "a Redis" can use {@link #shared()} and isolate themselves
 * with unique key prefixes.
 * <p>
 * The binary is {@code redis-server} as named by the {@code cohort.redis-server} system
 * property or the {@code COHORT_REDIS_SERVER} environment variable, else the first one on
 * the {@code PATH}, in {@code /usr/bin} or in {@code /usr/local/bin}. Servers that are
 * not closed are killed by a JVM shutdown hook.
 *
 * @see RedisSentinelSet
 * @see RedisClusterSet
 */
public final class RedisServer implements AutoCloseable {

	private static final Object sharedLock = new Object();

	private static volatile RedisServer shared;

	private final RedisInstance instance;

	private final boolean isShared;

	private RedisServer(RedisInstance instance, boolean isShared) {
		this.instance = instance;
		this.isShared = isShared;
	}

	/**
	 * Start a standalone server on a free loopback port and wait until it answers
	 * {@code PING}.
	 * @return the running server
	 * @throws IllegalStateException if the server does not start (the message holds the
	 * end of its log), or if there is neither a {@code redis-server} binary nor Docker
	 */
	public static RedisServer start() {
		return start(new String[0]);
	}

	/**
	 * Start a standalone server on a free loopback port with additional configuration and
	 * wait until it answers {@code PING}.
	 * @param extraArgs additional {@code redis-server} arguments, for example
	 * {@code "--maxmemory", "10mb"}; they come after the defaults, so they win
	 * @return the running server
	 * @throws IllegalStateException if the server does not start (the message holds the
	 * end of its log), or if there is neither a {@code redis-server} binary nor Docker
	 */
	public static RedisServer start(String... extraArgs) {
		return new RedisServer(RedisBackend.startStandalone(List.of(extraArgs)), false);
	}

	/**
	 * The server shared by all tests of this JVM, started on first use and stopped when
	 * the JVM exits. Tests using it must isolate themselves with their own keys (never
	 * {@code FLUSHALL} or {@code FLUSHDB}), and must not stop it: {@link #stop()} and
	 * {@link #kill()} throw an {@link IllegalStateException} and {@link #close()} does
	 * nothing.
	 * @return the shared server
	 * @throws IllegalStateException if the server cannot be started
	 */
	public static RedisServer shared() {
		RedisServer server = shared;
		if (server == null) {
			synchronized (sharedLock) {
				server = shared;
				if (server == null) {
					server = new RedisServer(RedisBackend.startStandalone(List.of()), true);
					shared = server;
				}
			}
		}
		return server;
	}

	/**
	 * Start a {@code redis-server} process with the given arguments, which needs the
	 * binary.
	 * @param role what the process is for
	 * @param arguments the arguments
	 * @return the running server
	 */
	static RedisServer startProcess(String role, RedisProcess.Arguments arguments) {
		String what = "A Redis " + role + " process";
		return new RedisServer(RedisProcess.start(RedisBackend.requireBinary(what), role, arguments), false);
	}

	/**
	 * The host to connect to: {@code 127.0.0.1} (or the Docker host, for a container).
	 * @return the host
	 */
	public String host() {
		return this.instance.host();
	}

	/**
	 * The port to connect to.
	 * @return the port
	 */
	public int port() {
		return this.instance.port();
	}

	/**
	 * The URI to connect to, such as {@code redis://127.0.0.1:34567}.
	 * @return the URI
	 */
	public String uri() {
		return "redis://" + host() + ":" + port();
	}

	/**
	 * Shut the server down gracefully (SIGTERM) and wait until it has exited. Does
	 * nothing if it is not running. Its temporary directory is kept until
	 * {@link #close()}.
	 * @throws IllegalStateException if this is the {@link #shared()} server
	 */
	public void stop() {
		assertNotShared("stopped");
		this.instance.stop();
	}

	/**
	 * Kill the server abruptly (SIGKILL), as a crash would, and wait until it is gone.
	 * Connections to it are refused afterwards.
	 * @throws IllegalStateException if this is the {@link #shared()} server
	 */
	public void kill() {
		assertNotShared("killed");
		this.instance.kill();
	}

	/**
	 * Freeze the server (SIGSTOP): its connections stay open but it answers nothing, as a
	 * hung server or a network partition would look to its clients. {@link #resume()}
	 * lets it go on; {@link #close()} of a paused server waits for it to stop.
	 * @throws IllegalStateException if this is the {@link #shared()} server
	 */
	public void pause() {
		assertNotShared("paused");
		this.instance.pause();
	}

	/**
	 * Let a {@link #pause() paused} server go on (SIGCONT).
	 */
	public void resume() {
		this.instance.resume();
	}

	/**
	 * Start a server that was {@link #stop() stopped} or {@link #kill() killed} again, on
	 * the same port with the same configuration and directory (so that with persistence
	 * on it reloads its data), and wait until it answers {@code PING}. Clients that
	 * reconnect find it where it was.
	 * @throws IllegalStateException if it is still running, or is the {@link #shared()}
	 * server
	 */
	public void restart() {
		assertNotShared("restarted");
		this.instance.restart();
	}

	/**
	 * Whether the server process is still alive.
	 * @return {@code true} if it is running
	 */
	public boolean isRunning() {
		return this.instance.isRunning();
	}

	/**
	 * Stop the server if it is still running and delete its temporary directory. Does
	 * nothing for the {@link #shared()} server, or if already closed.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			this.instance.close();
		}
	}

	/**
	 * The end of the server's log files, to help diagnose a failing test. Empty for a
	 * container.
	 * @return the last lines of the log
	 */
	public String logTail() {
		return (this.instance instanceof RedisProcess process) ? process.logTail() : "";
	}

	private void assertNotShared(String action) {
		if (this.isShared) {
			throw new IllegalStateException("The shared Redis server cannot be " + action
					+ ": start a server of your own with RedisServer.start()");
		}
	}

	@Override
	public String toString() {
		return this.instance.toString();
	}

	/**
	 * Closes every server, even when some fail to close, and rethrows the first failure
	 * with the others suppressed.
	 * @param servers the servers
	 */
	static void closeAll(List<RedisServer> servers) {
		RuntimeException failure = null;
		for (RedisServer server : servers) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
