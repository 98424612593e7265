package dev.cohort.test.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Redis Sentinel set-up for tests: one master, one replica and three Sentinels, all
 * {@code redis-server} processes on free ports of {@code 127.0.0.1}. The Sentinels
 * monitor the master as {@value #MASTER_NAME} with a quorum of 2, consider it down after
 * {@value #DOWN_AFTER_MILLISECONDS} ms and use a failover timeout of
 * {@value #FAILOVER_TIMEOUT_MILLIS} ms, so failover tests are quick.
 * <p>
 * Needs a local {@code redis-server} binary (see {@link RedisServer}); Docker is not
 * used.
 *
 * @see RedisServer
 */
public final class RedisSentinelSet implements AutoCloseable {

	/**
	 * The name under which the Sentinels monitor the master.
	 */
	public static final String MASTER_NAME = "cohort-master";

	/**
	 * The Sentinels' {@code down-after-milliseconds}.
	 */
	public static final int DOWN_AFTER_MILLISECONDS = 1000;

	/**
	 * The Sentinels' {@code failover-timeout}.
	 */
	public static final int FAILOVER_TIMEOUT_MILLIS = 3000;

	private static final int SENTINELS = 3;

	private static final int QUORUM = 2;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Object sharedLock = new Object();

	private static volatile RedisSentinelSet shared;

	private final RedisServer master;

	private final RedisServer replica;

	private final List<RedisServer> sentinels;

	private volatile boolean isShared;

	private RedisSentinelSet(RedisServer master, RedisServer replica, List<RedisServer> sentinels) {
		this.master = master;
		this.replica = replica;
		this.sentinels = List.copyOf(sentinels);
	}

	/**
	 * A set-up started on first use and shared by every test in this JVM, stopped when
	 * the JVM exits. Tests using it must isolate themselves with their own keys and must
	 * not fail it over: {@link #killMaster()} throws an {@link IllegalStateException} and
	 * {@link #close()} does nothing on it.
	 * @return the shared set-up
	 * @throws IllegalStateException if the set-up cannot be started
	 */
	public static RedisSentinelSet shared() {
		RedisSentinelSet set = shared;
		if (set == null) {
			synchronized (sharedLock) {
				set = shared;
				if (set == null) {
					RedisSentinelSet started = start();
					started.isShared = true;
					Runtime.getRuntime().addShutdownHook(new Thread(started::closeAll, "redis-sentinel-stop"));
					shared = started;
					set = started;
				}
			}
		}
		return set;
	}

	/**
	 * Start the master, the replica and the Sentinels, and wait until they are
	 * {@linkplain #awaitReady() ready}.
	 * @return the running set-up
	 * @throws IllegalStateException if there is no {@code redis-server} binary, or if the
	 * set-up does not start or get ready in time
	 */
	public static RedisSentinelSet start() {
		RedisBackend.requireBinary("A Redis Sentinel set-up");
		List<RedisServer> started = new ArrayList<>();
		try {
			// No diskless-sync delay: the default of 5s would make every start slow
			RedisServer master = RedisServer.startProcess("sentinel-master",
					RedisProcess.standalone(List.of("--repl-diskless-sync-delay", "0")));
			started.add(master);
			RedisServer replica = RedisServer.startProcess("sentinel-replica",
					RedisProcess.standalone(List.of("--repl-diskless-sync-delay", "0", "--replicaof", RedisProcess.HOST,
							String.valueOf(master.port()))));
			started.add(replica);
			// Sentinels discover the replica from the master's INFO; when it is already
			// in sync they see it at once
			awaitReplication(master, replica);
			List<RedisServer> sentinels = new ArrayList<>();
			for (int i = 0; i < SENTINELS; i++) {
				RedisServer sentinel = RedisServer.startProcess("sentinel",
						(directory, port) -> sentinelArguments(directory, port, master.port()));
				started.add(sentinel);
				sentinels.add(sentinel);
			}
			RedisSentinelSet set = new RedisSentinelSet(master, replica, sentinels);
			set.awaitReady();
			return set;
		}
		catch (RuntimeException ex) {
			for (int i = started.size() - 1; i >= 0; i--) {
				closeQuietly(started.get(i), ex);
			}
			throw ex;
		}
	}

	private static List<String> sentinelArguments(Path directory, int port, int masterPort) throws IOException {
		Path config = directory.resolve("sentinel.conf");
		List<String> lines = List.of("port " + port, "bind " + RedisProcess.HOST, "daemonize no", "dir " + directory,
				"logfile " + directory.resolve(RedisProcess.LOG_FILE),
				"sentinel monitor " + MASTER_NAME + " " + RedisProcess.HOST + " " + masterPort + " " + QUORUM,
				"sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLISECONDS,
				"sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
				"sentinel parallel-syncs " + MASTER_NAME + " 1");
		Files.write(config, lines, StandardCharsets.UTF_8);
		return List.of(config.toString(), "--sentinel");
	}

	static void awaitReplication(RedisServer master, RedisServer replica) {
		Poller.await(READY_TIMEOUT, "replica " + replica + " in sync with master " + master, () -> {
			Map<String, String> replicaInfo = info(replica, "replication");
			Map<String, String> masterInfo = info(master, "replication");
			String slave = masterInfo.getOrDefault("slave0", "");
			boolean ready = "up".equals(replicaInfo.get("master_link_status"))
					&& slave.contains("port=" + replica.port()) && slave.contains("state=online");
			return ready ? null : "replica: " + replicaInfo + ", master: " + masterInfo;
		});
	}

	/**
	 * Wait until the replica is in sync with the master and every Sentinel knows the
	 * master (at {@link #master()}'s address), the replica and the two other Sentinels.
	 * {@link #start()} already does this; call it again when a test has restored that
	 * initial state.
	 * @throws IllegalStateException if that does not happen within 30 seconds; the
	 * message tells what was seen last
	 */
	public void awaitReady() {
		awaitReplication(this.master, this.replica);
		for (RedisServer sentinel : this.sentinels) {
			Poller.await(READY_TIMEOUT, "sentinel " + sentinel + " to see the whole set-up",
					() -> sentinelProblem(sentinel));
		}
	}

	private String sentinelProblem(RedisServer sentinel) throws IOException {
		try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port())) {
			Object address = client.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
			if (!List.of(RedisProcess.HOST, String.valueOf(this.master.port())).equals(address)) {
				return "master address is " + address;
			}
			List<Map<String, String>> replicas = entries(client.call("SENTINEL", "replicas", MASTER_NAME));
			boolean replicaSeen = replicas.stream()
				.anyMatch((replica) -> String.valueOf(this.replica.port()).equals(replica.get("port"))
						&& "slave".equals(replica.get("flags")));
			if (!replicaSeen) {
				return "replicas are " + replicas;
			}
			List<Map<String, String>> sentinels = entries(client.call("SENTINEL", "sentinels", MASTER_NAME));
			long healthySentinels = sentinels.stream().filter((other) -> "sentinel".equals(other.get("flags"))).count();
			if (healthySentinels != SENTINELS - 1) {
				return "other sentinels are " + sentinels;
			}
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, String>> entries(Object reply) {
		List<Map<String, String>> entries = new ArrayList<>();
		for (Object entry : (List<Object>) reply) {
			List<Object> fields = (List<Object>) entry;
			Map<String, String> map = new HashMap<>();
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				map.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
			}
			entries.add(map);
		}
		return entries;
	}

	private static Map<String, String> info(RedisServer server, String section) throws IOException {
		try (RespClient client = RespClient.connect(server.host(), server.port())) {
			return client.info(section);
		}
	}

	/**
	 * The name under which the Sentinels monitor the master, {@value #MASTER_NAME}.
	 * @return the master name
	 */
	public String masterName() {
		return MASTER_NAME;
	}

	/**
	 * The server that was the master when the set-up started (after a failover it is the
	 * old master).
	 * @return the initial master
	 */
	public RedisServer master() {
		return this.master;
	}

	/**
	 * The server that was the replica when the set-up started (after a failover it is the
	 * new master).
	 * @return the initial replica
	 */
	public RedisServer replica() {
		return this.replica;
	}

	/**
	 * The Sentinel processes, for example to kill one.
	 * @return the three Sentinels
	 */
	public List<RedisServer> sentinels() {
		return this.sentinels;
	}

	/**
	 * The ports of the three Sentinels, all on {@code 127.0.0.1}.
	 * @return the Sentinel ports
	 */
	public List<Integer> sentinelPorts() {
		return this.sentinels.stream().map(RedisServer::port).toList();
	}

	/**
	 * The addresses of the three Sentinels, such as {@code 127.0.0.1:34567}.
	 * @return the Sentinel addresses
	 */
	public List<String> sentinelAddresses() {
		return this.sentinels.stream().map((sentinel) -> sentinel.host() + ":" + sentinel.port()).toList();
	}

	/**
	 * Kill the initial master abruptly (SIGKILL), so that the Sentinels fail over to the
	 * replica after about {@value #DOWN_AFTER_MILLISECONDS} ms.
	 * @throws IllegalStateException if this is the {@link #shared()} set-up
	 */
	public void killMaster() {
		if (this.isShared) {
			throw new IllegalStateException("The shared Redis Sentinel set-up must not be failed over; start one");
		}
		this.master.kill();
	}

	/**
	 * Kill the initial master abruptly (SIGKILL) once the replica has every write the
	 * master acknowledged, as under load the replica is always a little behind. The
	 * master's clients are held first ({@code CLIENT PAUSE ... WRITE}): writes sent from
	 * then on wait unanswered and fail when the master dies, so that no write is
	 * acknowledged that the replica does not have.
	 * @return the replication offset master and replica agreed on at the kill
	 * @throws IllegalStateException if the replica does not catch up within 30 seconds
	 */
	public long killMasterInSync() {
		try (RespClient client = RespClient.connect(this.master.host(), this.master.port())) {
			client.call("CLIENT", "PAUSE", String.valueOf(READY_TIMEOUT.toMillis()), "WRITE");
			long[] offset = new long[1];
			Poller.await(READY_TIMEOUT, "replica " + this.replica + " to have every write of the master", () -> {
				long masterOffset = Long.parseLong(client.info("replication").get("master_repl_offset"));
				String replicaOffset = info(this.replica, "replication").get("slave_repl_offset");
				offset[0] = masterOffset;
				return String.valueOf(masterOffset).equals(replicaOffset) ? null
						: "master at " + masterOffset + ", replica at " + replicaOffset;
			});
			this.master.kill();
			return offset[0];
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not hold the writes of master " + this.master, ex);
		}
	}

	/**
	 * Wait until every Sentinel names the initial replica as the master, as after a
	 * failover.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if that does not happen in time; the message tells
	 * what was seen last
	 */
	public void awaitPromotion(Duration timeout) {
		List<String> promoted = List.of(RedisProcess.HOST, String.valueOf(this.replica.port()));
		for (RedisServer sentinel : this.sentinels) {
			Poller.await(timeout, "sentinel " + sentinel + " to name " + this.replica + " the master", () -> {
				try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port())) {
					Object address = client.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
					return promoted.equals(address) ? null : "master address is " + address;
				}
			});
		}
	}

	/**
	 * Stop the Sentinels, the replica and the master, and delete their temporary
	 * directories; nothing for the {@link #shared()} set-up.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			closeAll();
		}
	}

	private void closeAll() {
		List<RedisServer> all = new ArrayList<>(this.sentinels);
		all.add(this.replica);
		all.add(this.master);
		RedisServer.closeAll(all);
	}

	private static void closeQuietly(RedisServer server, RuntimeException failure) {
		try {
			server.close();
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	@Override
	public String toString() {
		return "Redis Sentinel set-up '" + MASTER_NAME + "': master " + this.master.port() + ", replica "
				+ this.replica.port() + ", sentinels " + sentinelPorts();
	}

}
