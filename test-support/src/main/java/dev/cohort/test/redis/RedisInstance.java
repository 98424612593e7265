package dev.cohort.test.redis;

/**
 * One running Redis, whatever starts it: a local {@code redis-server} process or a
 * container. {@link RedisServer} is the public face of it.
 */
interface RedisInstance {

	String host();

	int port();

	/**
	 * Shut down gracefully (SIGTERM or {@code docker stop}) and wait until it is gone.
	 */
	void stop();

	/**
	 * Kill abruptly (SIGKILL or {@code docker kill}) and wait until it is gone.
	 */
	void kill();

	boolean isRunning();

	/**
	 * Freeze the server (SIGSTOP or {@code docker pause}): it keeps its connections open
	 * but answers nothing, as a hung server or a network partition would look.
	 */
	void pause();

	/**
	 * Let a paused server go on (SIGCONT or {@code docker unpause}).
	 */
	void resume();

	/**
	 * Start a stopped or killed server again on the same port, with the same
	 * configuration and directory, and wait until it answers {@code PING}.
	 */
	void restart();

	/**
	 * Stop if still running and release everything (temporary directory, container).
	 * Calling it more than once has no effect.
	 */
	void close();

}
