package dev.cohort.testapp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cohort.cluster.ClusterNodes;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test node in a process of its own, so that a test can kill it for real.
 */
public final class ForkedNode implements AutoCloseable {

	private final Process process;

	private final Path log;

	private ForkedNode(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a node in a new JVM with this JVM's class path.
	 * @param arguments the node's command line arguments
	 * @return the node
	 * @throws IOException if the process cannot start
	 */
	public static ForkedNode start(List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// A node that lives seconds: the quick compiler and one GC thread save the CPU
		// the tests beside it need.
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(TestNodeApplication.class.getName());
		if (arguments.stream().noneMatch((argument) -> argument.startsWith("--spring.main.web-application-type="))) {
			// No web server unless asked for: forked nodes would all take port 8080.
			command.add("--spring.main.web-application-type=none");
		}
		command.addAll(arguments);
		Path log = Files.createTempFile("cohort-forked-node", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new ForkedNode(process, log);
	}

	/**
	 * Waits until the node has joined, as another node sees it; fails with the node's
	 * output if it exits or does not join within two minutes (a loaded machine starts a
	 * JVM slowly).
	 * @param observer a node that must see it
	 * @param nodeId the forked node's id
	 * @throws IOException if its output cannot be read
	 */
	public void awaitMemberOf(ConfigurableApplicationContext observer, String nodeId) throws IOException {
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(120))
				.failFast(() -> !this.process.isAlive())
				.until(() -> observer.getBean(ClusterNodes.class).isMember(nodeId));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError("The forked node did not join; its output:\n" + Files.readString(this.log), ex);
		}
	}

	/**
	 * Kills the node at once (SIGKILL): it cannot deregister or say goodbye.
	 * @throws InterruptedException if interrupted while waiting for it to die
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	/**
	 * Asks the node to stop (SIGTERM), as an orchestrator would, and waits for it to
	 * exit.
	 * @return its exit code
	 * @throws InterruptedException if interrupted while waiting
	 */
	public int terminate() throws InterruptedException {
		this.process.destroy();
		return this.process.waitFor();
	}

	/**
	 * Whether the process still runs.
	 * @return whether it is alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The node's output so far.
	 * @return the output
	 * @throws IOException if it cannot be read
	 */
	public String output() throws IOException {
		return Files.readString(this.log);
	}

	@Override
	public void close() throws IOException {
		this.process.destroyForcibly();
		Files.deleteIfExists(this.log);
	}

}
