package dev.cohort.connections;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The heap an idle connection costs, each end measured in its own JVM: one server node
 * (Tomcat, every setting the default, 64KB {@code max-message-size}) on a real Redis in
 * this JVM, and {@link #CONNECTIONS} clients on the JDK's {@link java.net.http.WebSocket}
 * in another ({@link IdleClients}), each welcomed; each end's heap in use after a full
 * GC, with the connections against without. The clients run with the JDK client's three
 * buffers at 2KB ({@link #CLIENT_OPTIONS}): with the JDK's defaults (16KB each) the
 * client alone costs about 59KB, whatever the server does, and both ends about 102KB. See
 * docs/connections-and-chat.md, "Memory per connection".
 */
class IdleConnectionsMemoryTests {

	/**
	 * The figure: 5,000 idle connections on one node. About 210 MB of this JVM's
	 * heap, and 5,000 sockets in each JVM.
	 */
	private static final int CONNECTIONS = 5_000;

	/**
	 * The server's part: 42KB measured (Tomcat's socket buffers at 2KB, its WebSocket
	 * frame buffers of 8KB each, the handshake's headers and the sessions).
	 */
	private static final long SERVER_LIMIT = 48 * 1024;

	/**
	 * The target, both ends: 42KB and 17KB measured.
	 */
	private static final long BOTH_ENDS_LIMIT = 64 * 1024;

	/**
	 * The JDK client's read buffer ({@code jdk.httpclient.bufsize}), and its WebSocket
	 * write and encoding buffers, at 2KB instead of 16KB each.
	 */
	private static final List<String> CLIENT_OPTIONS = List.of("-Djdk.httpclient.bufsize=2048",
			"-Djdk.httpclient.websocket.writeBufferSize=2048",
			"-Djdk.httpclient.websocket.intermediateBufferSize=2048");

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private final List<Process> clients = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.clients.forEach(Process::destroyForcibly);
		this.nodes.close();
	}

	@Test
	void fiveThousandIdleConnectionsOnOneNodeCostAtMost64KilobytesEachBothEnds() throws Exception {
		long descriptors = maxFileDescriptors();
		assumeTrue(descriptors > CONNECTIONS + 1_000, () -> "This test opens " + CONNECTIONS
				+ " sockets in each of two JVMs, but a JVM may open only " + descriptors + " files (ulimit -Hn)");
		ConfigurableApplicationContext node = this.nodes.startWeb();
		String endpoint = "ws://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort()
				+ "/cohort/ws";
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(CLIENT_OPTIONS);
		command
			.addAll(List.of("-cp", testClasses(), IdleClients.class.getName(), endpoint, String.valueOf(CONNECTIONS)));
		Process client = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		this.clients.add(client);
		BlockingQueue<String> lines = lines(client);
		PrintWriter input = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
		long clientBefore = heap(lines, "ready ");
		long started = System.nanoTime();
		long serverBefore = IdleClients.heapAfterFullGc();
		input.println("go");
		long clientAfter = heap(lines, "connected ");
		long connected = System.nanoTime();
		long serverAfter = IdleClients.heapAfterFullGc();
		long server = (serverAfter - serverBefore) / CONNECTIONS;
		long clientPart = (clientAfter - clientBefore) / CONNECTIONS;
		System.out.printf(
				"%,d idle connections: %,d KB of heap a connection both ends, %,d KB the server's,"
						+ " %,d KB the client's (connected in %,d ms)%n",
				CONNECTIONS, (server + clientPart) / 1024, server / 1024, clientPart / 1024,
				TimeUnit.NANOSECONDS.toMillis(connected - started));
		assertThat(server).isLessThan(SERVER_LIMIT);
		assertThat(server + clientPart).isLessThanOrEqualTo(BOTH_ENDS_LIMIT);
	}

	private static long maxFileDescriptors() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		return (os instanceof UnixOperatingSystemMXBean unix) ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
	}

	private static String testClasses() throws Exception {
		return new File(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
	}

	/**
	 * The client's output, line by line, so that the test waits for a line with a time
	 * limit.
	 */
	private static BlockingQueue<String> lines(Process process) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					lines.add(line);
				}
			}
			catch (Exception ex) {
				// the process ended
			}
		}, "idle-clients-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	private static long heap(BlockingQueue<String> lines, String prefix) throws InterruptedException {
		String line = lines.poll(90, TimeUnit.SECONDS);
		assertThat(line).as("the clients' line starting with '%s'", prefix).isNotNull().startsWith(prefix);
		return Long.parseLong(line.substring(prefix.length()).trim());
	}

}
