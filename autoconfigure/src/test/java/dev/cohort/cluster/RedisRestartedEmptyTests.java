package dev.cohort.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.cohort.chat.ChatRooms;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.RecurringTicks;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis without persistence killed (SIGKILL) and restarted empty on its port, under
 * three nodes that hold WebSocket clients in rooms and run a recurring task every 500 ms:
 * the cluster heals on its own. Every node registers again, every connection is back in
 * the directory and its rooms, the recurring scheduler leads again and no period runs
 * twice, across the restart and the change of leader. The data Redis held is lost: the
 * periods that came due between the loss and the moment the scheduler found it are
 * skipped, not run late.
 */
class RedisRestartedEmptyTests {

	/** Generous, as the machine may be busy. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final long FREQUENCY = 500;

	private RedisServer redis;

	private TestNodes nodes;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/** The clients, each with the index of the node that holds it. */
	private final Map<TestClient, Integer> clients = new LinkedHashMap<>();

	@BeforeEach
	void startThreeNodesWithClientsInRoomsAndARecurringTask() throws Exception {
		this.redis = RedisServer.start();
		this.nodes = TestNodes.redis(this.redis);
		this.nodes.common().put("test.tasks.recurring", "true");
		this.nodes.common().put("test.tasks.frequency", FREQUENCY + "ms");
		this.nodes.common().put("cluster.tasks.scheduler-lease", "1500ms");
		for (int i = 0; i < 3; i++) {
			this.contexts.add(this.nodes.startWeb());
		}
		rooms(0).add("lobby");
		rooms(0).add("games");
		for (int node = 0; node < 3; node++) {
			ConfigurableApplicationContext context = this.contexts.get(node);
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == 3);
			for (int i = 0; i < 2; i++) {
				TestClient client = TestClient.connect(context);
				this.clients.put(client, node);
				assertThat(client.joinRoom("lobby").path("event").stringValue()).isEqualTo("response");
				if (i == 0) {
					assertThat(client.joinRoom("games").path("event").stringValue()).isEqualTo("response");
				}
			}
		}
	}

	@AfterEach
	void closeAll() throws Exception {
		for (TestClient client : this.clients.keySet()) {
			client.close();
		}
		this.nodes.close();
		this.redis.close();
	}

	@Test
	void theClusterHealsOnItsOwnAndNoPeriodRunsTwice() {
		await().atMost(TIMEOUT).until(() -> periods().size() >= 4);
		String leaderBefore = tasks().schedulerLeader().orElseThrow();
		long killedAt = System.nanoTime();
		long killedAtMillis = System.currentTimeMillis();
		this.redis.kill();
		this.redis.restart();
		long restartedMillis = elapsedMillis(killedAt);

		Map<String, Long> healed = new LinkedHashMap<>();
		Map<String, String> notYet = new LinkedHashMap<>();
		try {
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
				whenFirst(healed, notYet, "members", killedAt, this::everyNodeIsRegistered);
				whenFirst(healed, notYet, "directory", killedAt, this::everyConnectionIsFoundInTheDirectoryAndItsRooms);
				whenFirst(healed, notYet, "leader", killedAt, () -> tasks().schedulerLeader().isPresent());
				whenFirst(healed, notYet, "recurring", killedAt,
						() -> periods().stream().anyMatch((period) -> period.toEpochMilli() > killedAtMillis));
				return healed.size() == 4;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Healed (ms after the kill): " + healed + "; not yet: " + notYet, ex);
		}
		// A few more periods, to see that none runs twice after the restart either.
		long firesAtHeal = periods().size();
		await().atMost(TIMEOUT).until(() -> periods().size() >= firesAtHeal + 4);

		List<Long> periods = periods().stream().map(Instant::toEpochMilli).sorted().toList();
		assertThat(periods).as("no period runs twice").doesNotHaveDuplicates();
		long first = periods.get(0);
		long last = periods.get(periods.size() - 1);
		long skipped = (last - first) / FREQUENCY + 1 - periods.size();
		List<Long> lastBefore = periods.stream().filter((period) -> period <= killedAtMillis).toList();
		long firstAfter = periods.stream().filter((period) -> period > killedAtMillis).findFirst().orElseThrow();
		assertThat(skipped).as("periods skipped").isLessThanOrEqualTo(healed.get("recurring") / FREQUENCY + 2);
		System.out
			.printf("Redis restarted empty (SIGKILL, no persistence; up again %d ms after the kill) under 3 nodes, "
					+ "6 connections in rooms, a task every %d ms: all nodes registered again after %d ms, every "
					+ "connection in the directory and its rooms (apply, callConnection, room status) after %d ms, a "
					+ "scheduler leader after %d ms (%s before, %s after), recurring runs resumed after %d ms "
					+ "(last period run before the kill %s, first after %s); %d periods run, none twice, %d "
					+ "skipped%n", restartedMillis, FREQUENCY, healed.get("members"), healed.get("directory"),
					healed.get("leader"), leaderBefore, tasks().schedulerLeader().orElse("none"),
					healed.get("recurring"), Instant.ofEpochMilli(lastBefore.get(lastBefore.size() - 1)),
					Instant.ofEpochMilli(firstAfter), periods.size(), skipped);
	}

	/**
	 * Every node is in the members Redis holds, and every node sees the three.
	 */
	private boolean everyNodeIsRegistered() {
		for (ConfigurableApplicationContext context : this.contexts) {
			ClusterNodes nodes = context.getBean(ClusterNodes.class);
			if (nodes.lastHeartbeats().size() != 3 || nodes.members().size() != 3) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Every connection is found from another node than its own, by {@code apply} and by
	 * {@code callConnection}, and the rooms list every member.
	 */
	private boolean everyConnectionIsFoundInTheDirectoryAndItsRooms() throws Exception {
		for (Map.Entry<TestClient, Integer> held : this.clients.entrySet()) {
			ConfigurableApplicationContext other = this.contexts.get((held.getValue() + 1) % 3);
			String id = held.getKey().id();
			other.getBean(ClusterConnections.class).apply(id);
			String holder = other.getBean(ClusterRpc.class)
				.callConnection(id, "whoami", String.class)
				.get(2, TimeUnit.SECONDS);
			if (!holder.equals(nodeId(held.getValue()))) {
				return false;
			}
		}
		return rooms(1).status("lobby").size() == 6 && rooms(2).status("games").size() == 3;
	}

	/**
	 * Records when a condition first held, in ms since the kill; a condition that throws
	 * (Redis is still down) does not hold.
	 */
	private static void whenFirst(Map<String, Long> healed, Map<String, String> notYet, String what, long killedAt,
			Callable<Boolean> condition) {
		if (healed.containsKey(what)) {
			return;
		}
		try {
			if (condition.call()) {
				healed.put(what, elapsedMillis(killedAt));
				notYet.remove(what);
			}
			else {
				notYet.put(what, "false");
			}
		}
		catch (Exception ex) {
			notYet.put(what, ex.toString());
		}
	}

	private static long elapsedMillis(long since) {
		return (System.nanoTime() - since) / 1_000_000;
	}

	/** The periods the recurring task ran for, on every node. */
	private List<Instant> periods() {
		List<Instant> periods = new ArrayList<>();
		for (ConfigurableApplicationContext context : this.contexts) {
			periods.addAll(context.getBean(RecurringTicks.class).periods);
		}
		return periods;
	}

	private ClusterTasks tasks() {
		return this.contexts.get(0).getBean(ClusterTasks.class);
	}

	private ChatRooms rooms(int node) {
		return this.contexts.get(node).getBean(ChatRooms.class);
	}

	private String nodeId(int node) {
		return this.contexts.get(node).getBean(ClusterNodes.class).self().id();
	}

}
