package dev.cohort.test.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A standalone Redis in a {@code redis:7} Docker container, used only when there is no
 * local {@code redis-server} binary. This is the only class that touches Testcontainers.
 */
final class RedisContainerInstance implements RedisInstance {

	private static final DockerImageName IMAGE = DockerImageName.parse("redis:7");

	private static final int REDIS_PORT = 6379;

	private static final Set<String> LOCAL_DOCKER_HOSTS = Set.of("localhost", "127.0.0.1");

	private final GenericContainer<?> container;

	private final String host;

	private final int port;

	private volatile boolean closed;

	private RedisContainerInstance(GenericContainer<?> container) {
		this.container = container;
		this.host = container.getHost();
		this.port = container.getMappedPort(REDIS_PORT);
	}

	static boolean isDockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@SuppressWarnings("resource")
	static RedisInstance start(List<String> extraArgs) {
		List<String> command = new ArrayList<>(
				List.of("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
		command.addAll(extraArgs);
		GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(REDIS_PORT)
			.withCommand(command.toArray(new String[0]))
			.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
				.withStartupTimeout(Duration.ofSeconds(60)));
		if (LOCAL_DOCKER_HOSTS.contains(DockerClientFactory.instance().dockerHostIpAddress())) {
			// Publish the port on the loopback interface only (a random host port)
			container.withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(REDIS_PORT))));
		}
		container.start();
		RedisContainerInstance instance = new RedisContainerInstance(container);
		LiveInstances.add(instance);
		try {
			RespClient.call(instance.host, instance.port, "PING");
		}
		catch (IOException ex) {
			instance.close();
			throw new IllegalStateException("Redis container " + container.getContainerId()
					+ " does not answer PING on " + instance.host + ":" + instance.port + "\n" + container.getLogs(),
					ex);
		}
		return instance;
	}

	@Override
	public String host() {
		return this.host;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public void stop() {
		this.container.stop();
	}

	@Override
	public void kill() {
		if (this.container.isRunning()) {
			this.container.getDockerClient().killContainerCmd(this.container.getContainerId()).exec();
		}
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

	@Override
	public void pause() {
		this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void resume() {
		this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void restart() {
		throw new UnsupportedOperationException(
				"A Redis container cannot be restarted on the same port: install redis-server to run this test");
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.container.stop();
			LiveInstances.remove(this);
		}
	}

	@Override
	public String toString() {
		return "Redis container " + this.container.getContainerId() + " on " + this.host + ":" + this.port;
	}

}
