package dev.cohort.test.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Redis Cluster for tests: three masters without replicas, {@code redis-server}
 * processes on free ports of {@code 127.0.0.1}, with the 16384 hash slots split evenly
 * between them (0-5460, 5461-10922, 10923-16383).
 * <p>
 * Needs a local {@code redis-server} binary (see {@link RedisServer}); Docker is not
 * used.
 *
 * @see RedisServer
 */
public final class RedisClusterSet implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final int[][] SLOT_RANGES = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };

	private static final int MASTERS = SLOT_RANGES.length;

	private static final String NODE_TIMEOUT_MILLIS = "3000";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Object sharedLock = new Object();

	private static volatile RedisClusterSet shared;

	private final List<RedisServer> masters;

	private volatile boolean isShared;

	private RedisClusterSet(List<RedisServer> masters) {
		this.masters = List.copyOf(masters);
	}

	/**
	 * A cluster started on first use and shared by every test in this JVM, stopped when
	 * the JVM exits. Tests using it must isolate themselves with their own keys, and
	 * {@link #close()} does nothing on it.
	 * @return the shared cluster
	 * @throws IllegalStateException if the cluster cannot be started
	 */
	public static RedisClusterSet shared() {
		RedisClusterSet cluster = shared;
		if (cluster == null) {
			synchronized (sharedLock) {
				cluster = shared;
				if (cluster == null) {
					RedisClusterSet started = start();
					started.isShared = true;
					Runtime.getRuntime()
						.addShutdownHook(new Thread(() -> RedisServer.closeAll(started.masters), "redis-cluster-stop"));
					shared = started;
					cluster = started;
				}
			}
		}
		return cluster;
	}

	/**
	 * Start three cluster-enabled servers, assign the slots, join them into one cluster
	 * and wait until every node reports {@code cluster_state:ok}.
	 * @return the running cluster
	 * @throws IllegalStateException if there is no {@code redis-server} binary, or if the
	 * cluster does not start or form in time
	 */
	public static RedisClusterSet start() {
		RedisBackend.requireBinary("A Redis Cluster");
		List<RedisServer> masters = new ArrayList<>();
		try {
			for (int i = 0; i < MASTERS; i++) {
				masters.add(RedisServer.startProcess("cluster-node", RedisClusterSet::nodeArguments));
			}
			RedisClusterSet cluster = new RedisClusterSet(masters);
			cluster.form();
			return cluster;
		}
		catch (RuntimeException ex) {
			for (RedisServer master : masters) {
				try {
					master.close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
			}
			throw ex;
		}
	}

	private static List<String> nodeArguments(Path directory, int port) throws IOException {
		// An explicit bus port (instead of port + 10000) so that both are known to be
		// free; announce the loopback address so that every node (and client) sees
		// 127.0.0.1 for every node
		String busPort = String.valueOf(RedisProcess.freePort());
		List<String> extraArgs = List.of("--cluster-enabled", "yes", "--cluster-config-file",
				directory.resolve("nodes.conf").toString(), "--cluster-port", busPort, "--cluster-announce-ip",
				RedisProcess.HOST, "--cluster-node-timeout", NODE_TIMEOUT_MILLIS);
		return RedisProcess.standalone(extraArgs).create(directory, port);
	}

	private void form() {
		try {
			List<String> busPorts = new ArrayList<>();
			for (int i = 0; i < MASTERS; i++) {
				RedisServer master = this.masters.get(i);
				try (RespClient client = RespClient.connect(master.host(), master.port())) {
					@SuppressWarnings("unchecked")
					List<Object> busPort = (List<Object>) client.call("CONFIG", "GET", "cluster-port");
					busPorts.add(String.valueOf(busPort.get(1)));
					// Distinct config epochs up front, as redis-cli does, instead of
					// waiting for the cluster to resolve the collision
					client.call("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
					client.call("CLUSTER", "ADDSLOTSRANGE", String.valueOf(SLOT_RANGES[i][0]),
							String.valueOf(SLOT_RANGES[i][1]));
				}
			}
			// Every node meets every other one, rather than having them learn about each
			// other through gossip, which sometimes makes forming take seconds longer
			for (int i = 0; i < MASTERS; i++) {
				RedisServer master = this.masters.get(i);
				try (RespClient client = RespClient.connect(master.host(), master.port())) {
					for (int j = i + 1; j < MASTERS; j++) {
						client.call("CLUSTER", "MEET", RedisProcess.HOST, String.valueOf(this.masters.get(j).port()),
								busPorts.get(j));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not form the cluster of " + this.masters, ex);
		}
		awaitReady();
	}

	private void awaitReady() {
		for (RedisServer master : this.masters) {
			Poller.await(READY_TIMEOUT, "cluster_state:ok on " + master, () -> {
				String info;
				try (RespClient client = RespClient.connect(master.host(), master.port())) {
					info = (String) client.call("CLUSTER", "INFO");
				}
				Map<String, String> fields = RespClient.parseInfo(info);
				boolean ready = "ok".equals(fields.get("cluster_state"))
						&& String.valueOf(SLOTS).equals(fields.get("cluster_slots_ok"))
						&& String.valueOf(MASTERS).equals(fields.get("cluster_known_nodes"))
						&& String.valueOf(MASTERS).equals(fields.get("cluster_size"));
				return ready ? null : info.replace("\r\n", ", ");
			});
		}
	}

	/**
	 * The addresses of the three nodes, such as {@code 127.0.0.1:34567}, to seed a
	 * cluster client.
	 * @return the node addresses
	 */
	public List<String> nodeAddresses() {
		return this.masters.stream().map((master) -> master.host() + ":" + master.port()).toList();
	}

	/**
	 * The three master nodes, in slot order: the first serves slots 0-5460, the second
	 * 5461-10922, the third 10923-16383.
	 * @return the masters
	 */
	public List<RedisServer> masters() {
		return this.masters;
	}

	/**
	 * Stop all nodes and delete their temporary directories; nothing for the
	 * {@link #shared()} cluster.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			RedisServer.closeAll(this.masters);
		}
	}

	@Override
	public String toString() {
		return "Redis Cluster on " + nodeAddresses();
	}

}
