package dev.cohort.test.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Redis Cluster for tests: three masters, {@code redis-server} processes on free ports
 * of {@code 127.0.0.1}, with the 16384 hash slots split evenly between them (0-5460,
 * 5461-10922, 10923-16383); {@link #start()} starts them without replicas,
 * {@link #startWithReplicas()} gives each a replica, to test failover. Helpers change the
 * cluster as operators do: {@link #killMaster kill a master}, {@link #migrateSlot migrate
 * a slot} as {@code redis-cli --cluster reshard} does.
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

	private static final int NODE_TIMEOUT_MILLIS = 3000;

	/**
	 * The {@code cluster-node-timeout} of a cluster with replicas: a killed master is
	 * failed over about a second or two after that.
	 */
	public static final int FAILOVER_NODE_TIMEOUT_MILLIS = 1000;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Object sharedLock = new Object();

	private static volatile RedisClusterSet shared;

	private final List<RedisServer> masters;

	private final List<RedisServer> replicas;

	private volatile boolean isShared;

	private RedisClusterSet(List<RedisServer> masters, List<RedisServer> replicas) {
		this.masters = List.copyOf(masters);
		this.replicas = List.copyOf(replicas);
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
		return start(false, NODE_TIMEOUT_MILLIS);
	}

	/**
	 * Start three masters as {@link #start()} does, each with one replica, with a
	 * {@code cluster-node-timeout} of {@value #FAILOVER_NODE_TIMEOUT_MILLIS} ms so that a
	 * killed master's replica takes over within a few seconds; wait until every replica
	 * is in sync.
	 * @return the running cluster
	 * @throws IllegalStateException if there is no {@code redis-server} binary, or if the
	 * cluster does not start or form in time
	 */
	public static RedisClusterSet startWithReplicas() {
		return start(true, FAILOVER_NODE_TIMEOUT_MILLIS);
	}

	private static RedisClusterSet start(boolean withReplicas, int nodeTimeoutMillis) {
		RedisBackend.requireBinary("A Redis Cluster");
		List<RedisServer> masters = new ArrayList<>();
		List<RedisServer> replicas = new ArrayList<>();
		try {
			for (int i = 0; i < MASTERS; i++) {
				masters.add(startNode("cluster-node", nodeTimeoutMillis));
				if (withReplicas) {
					replicas.add(startNode("cluster-replica", nodeTimeoutMillis));
				}
			}
			RedisClusterSet cluster = new RedisClusterSet(masters, replicas);
			cluster.form();
			return cluster;
		}
		catch (RuntimeException ex) {
			List<RedisServer> all = new ArrayList<>(replicas);
			all.addAll(masters);
			for (RedisServer node : all) {
				try {
					node.close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
			}
			throw ex;
		}
	}

	private static RedisServer startNode(String role, int nodeTimeoutMillis) {
		return RedisServer.startProcess(role, (directory, port) -> nodeArguments(directory, port, nodeTimeoutMillis));
	}

	private static List<String> nodeArguments(Path directory, int port, int nodeTimeoutMillis) throws IOException {
		// An explicit bus port (instead of port + 10000) so that both are known to be
		// free; announce the loopback address so that every node (and client) sees
		// 127.0.0.1 for every node. No diskless-sync delay: its default of 5s would
		// make replicas slow to start.
		String busPort = String.valueOf(RedisProcess.freePort());
		List<String> extraArgs = List.of("--cluster-enabled", "yes", "--cluster-config-file",
				directory.resolve("nodes.conf").toString(), "--cluster-port", busPort, "--cluster-announce-ip",
				RedisProcess.HOST, "--cluster-node-timeout", String.valueOf(nodeTimeoutMillis),
				"--repl-diskless-sync-delay", "0");
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
			for (RedisServer replica : this.replicas) {
				busPorts.add(String.valueOf(((List<?>) call(replica, "CONFIG", "GET", "cluster-port")).get(1)));
			}
			// Every node meets every other one, rather than having them learn about each
			// other through gossip, which sometimes makes forming take seconds longer
			List<RedisServer> nodes = nodes();
			for (int i = 0; i < nodes.size(); i++) {
				RedisServer node = nodes.get(i);
				try (RespClient client = RespClient.connect(node.host(), node.port())) {
					for (int j = i + 1; j < nodes.size(); j++) {
						client.call("CLUSTER", "MEET", RedisProcess.HOST, String.valueOf(nodes.get(j).port()),
								busPorts.get(j));
					}
				}
			}
			for (int i = 0; i < this.replicas.size(); i++) {
				RedisServer replica = this.replicas.get(i);
				String masterId = id(this.masters.get(i));
				// Refused ("Unknown node") until the replica has met the master
				Poller.await(READY_TIMEOUT, replica + " replicating " + masterId, () -> {
					call(replica, "CLUSTER", "REPLICATE", masterId);
					return null;
				});
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not form the cluster of " + nodes(), ex);
		}
		awaitReady();
		for (int i = 0; i < this.replicas.size(); i++) {
			RedisSentinelSet.awaitReplication(this.masters.get(i), this.replicas.get(i));
		}
	}

	private void awaitReady() {
		awaitReady(nodes(), nodes().size());
	}

	/**
	 * Waits until each node reports the cluster ok, all slots served by three masters,
	 * and knows a number of nodes (killed ones included: the cluster still lists them).
	 */
	private static void awaitReady(List<RedisServer> nodes, int known) {
		for (RedisServer node : nodes) {
			Poller.await(READY_TIMEOUT, "cluster_state:ok on " + node, () -> {
				String info = (String) call(node, "CLUSTER", "INFO");
				Map<String, String> fields = RespClient.parseInfo(info);
				boolean ready = "ok".equals(fields.get("cluster_state"))
						&& String.valueOf(SLOTS).equals(fields.get("cluster_slots_ok"))
						&& String.valueOf(known).equals(fields.get("cluster_known_nodes"))
						&& String.valueOf(MASTERS).equals(fields.get("cluster_size"));
				return ready ? null : info.replace("\r\n", ", ");
			});
		}
	}

	/**
	 * Kill a master abruptly (SIGKILL), as a crash would, and wait until its replica has
	 * taken over its slots and every other node sees the cluster ok again.
	 * @param master a master of this cluster that has a replica
	 * @return the replica, now the master of those slots
	 * @throws IllegalStateException if the master has no replica, or the failover does
	 * not happen within 30 seconds
	 */
	public RedisServer killMaster(RedisServer master) {
		RedisServer replica = replicaOf(master);
		master.kill();
		awaitFailover(master, replica);
		return replica;
	}

	private RedisServer replicaOf(RedisServer master) {
		int index = this.masters.indexOf(master);
		if (index < 0 || this.replicas.isEmpty()) {
			throw new IllegalStateException(master + " is not a master with a replica in " + this);
		}
		return this.replicas.get(index);
	}

	private void awaitFailover(RedisServer master, RedisServer replica) {
		Poller.await(READY_TIMEOUT, replica + " promoted in place of " + master, () -> {
			String role = RespClient.parseInfo((String) call(replica, "INFO", "replication")).get("role");
			return "master".equals(role) ? null : "role:" + role;
		});
		List<RedisServer> alive = nodes().stream().filter(RedisServer::isRunning).toList();
		awaitReady(alive, nodes().size());
	}

	/**
	 * The hash slot of a key, as the cluster computes it ({@code CLUSTER KEYSLOT}).
	 * @param key the key
	 * @return its slot
	 */
	public int slotOf(String key) {
		return ((Long) callAny("CLUSTER", "KEYSLOT", key)).intValue();
	}

	/**
	 * The master that serves a slot now, as a live node sees it ({@code CLUSTER SLOTS}).
	 * @param slot the slot
	 * @return the master
	 * @throws IllegalStateException if no node of this cluster serves it
	 */
	public RedisServer masterOf(int slot) {
		for (Object range : (List<?>) callAny("CLUSTER", "SLOTS")) {
			List<?> fields = (List<?>) range;
			if (slot >= (Long) fields.get(0) && slot <= (Long) fields.get(1)) {
				long port = (Long) ((List<?>) fields.get(2)).get(1);
				return nodes().stream()
					.filter((node) -> node.port() == port)
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("Slot " + slot + " is on an unknown node " + port));
			}
		}
		throw new IllegalStateException("No node serves slot " + slot + " in " + this);
	}

	/**
	 * Move a slot, with its keys, from the master that serves it to another, as
	 * {@code redis-cli --cluster reshard} does: {@code CLUSTER SETSLOT IMPORTING} on the
	 * target, {@code MIGRATING} on the source, then {@code CLUSTER GETKEYSINSLOT} and
	 * {@code MIGRATE} in batches until the source has none left, then
	 * {@code CLUSTER SETSLOT NODE} on the target, the source and the other masters. While
	 * the keys are split, clients see {@code ASK} for keys already moved and
	 * {@code TRYAGAIN} for commands on several keys of which some moved.
	 * @param slot the slot
	 * @param target the master to move it to
	 * @param batchSize the most keys moved at once
	 * @param betweenBatches run after each batch but the last, with the slot half moved
	 * (to let clients work on it meanwhile)
	 * @return the number of keys moved
	 * @throws IllegalStateException if a step fails
	 */
	public int migrateSlot(int slot, RedisServer target, int batchSize, Runnable betweenBatches) {
		RedisServer source = masterOf(slot);
		if (source.equals(target)) {
			throw new IllegalStateException("Slot " + slot + " is already on " + target);
		}
		String number = String.valueOf(slot);
		try {
			call(target, "CLUSTER", "SETSLOT", number, "IMPORTING", id(source));
			call(source, "CLUSTER", "SETSLOT", number, "MIGRATING", id(target));
			int moved = 0;
			while (true) {
				List<?> keys = (List<?>) call(source, "CLUSTER", "GETKEYSINSLOT", number, String.valueOf(batchSize));
				if (keys.isEmpty()) {
					break;
				}
				if (moved > 0) {
					betweenBatches.run();
				}
				List<String> migrate = new ArrayList<>(
						List.of("MIGRATE", target.host(), String.valueOf(target.port()), "", "0", "5000", "KEYS"));
				keys.forEach((key) -> migrate.add((String) key));
				call(source, migrate.toArray(String[]::new));
				moved += keys.size();
			}
			String targetId = id(target);
			call(target, "CLUSTER", "SETSLOT", number, "NODE", targetId);
			call(source, "CLUSTER", "SETSLOT", number, "NODE", targetId);
			for (RedisServer master : this.masters) {
				if (master.isRunning() && !master.equals(source) && !master.equals(target)) {
					call(master, "CLUSTER", "SETSLOT", number, "NODE", targetId);
				}
			}
			return moved;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not migrate slot " + slot + " from " + source + " to " + target, ex);
		}
	}

	/**
	 * How many times a node answered an error of a kind since it started, from
	 * {@code INFO errorstats}, such as {@code TRYAGAIN} or {@code CLUSTERDOWN}.
	 * @param node the node
	 * @param error the error's first word
	 * @return the count
	 */
	public static long errorCount(RedisServer node, String error) {
		try {
			String stat = RespClient.parseInfo((String) call(node, "INFO", "errorstats")).get("errorstat_" + error);
			return (stat != null) ? Long.parseLong(stat.substring("count=".length())) : 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read the error stats of " + node, ex);
		}
	}

	private static String id(RedisServer node) throws IOException {
		return (String) call(node, "CLUSTER", "MYID");
	}

	private static Object call(RedisServer node, String... args) throws IOException {
		return RespClient.call(node.host(), node.port(), args);
	}

	private Object callAny(String... args) {
		IOException failure = null;
		for (RedisServer node : nodes()) {
			if (node.isRunning()) {
				try {
					return call(node, args);
				}
				catch (IOException ex) {
					failure = ex;
				}
			}
		}
		throw new IllegalStateException("No node of " + this + " answered " + String.join(" ", args), failure);
	}

	private List<RedisServer> nodes() {
		List<RedisServer> nodes = new ArrayList<>(this.masters);
		nodes.addAll(this.replicas);
		return nodes;
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
	 * 5461-10922, the third 10923-16383 (as started: a slot migration or a failover
	 * changes that, see {@link #masterOf(int)}).
	 * @return the masters
	 */
	public List<RedisServer> masters() {
		return this.masters;
	}

	/**
	 * The replicas, in the masters' order (the first replicates the first master); none
	 * unless started {@link #startWithReplicas() with replicas}.
	 * @return the replicas
	 */
	public List<RedisServer> replicas() {
		return this.replicas;
	}

	/**
	 * Stop all nodes and delete their temporary directories; nothing for the
	 * {@link #shared()} cluster.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			RedisServer.closeAll(nodes());
		}
	}

	@Override
	public String toString() {
		return "Redis Cluster on " + nodeAddresses();
	}

}
