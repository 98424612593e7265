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
	 * Stop if still running and release everything (temporary directory, container).
	 * Calling it more than once has no effect.
	 */
	void close();

}
