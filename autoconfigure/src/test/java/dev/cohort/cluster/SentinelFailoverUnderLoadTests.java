package dev.cohort.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TaskEndpoints;
import dev.cohort.testapp.TaskEndpoints.Run;
import dev.cohort.testapp.TestClient;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes at work through a Sentinel set-up while its master is killed (SIGKILL) and
 * the replica promoted: a steady load of enqueues drained by every node's worker, RPC
 * calls between the nodes, lock holders on every node and WebSocket clients in rooms on
 * every node. The replica has every acknowledged write at the kill
 * ({@link RedisSentinelSet#killMasterInSync()}); what a replica that lags loses is said
 * in docs/production.md. Prints the figures it measures.
 */
class SentinelFailoverUnderLoadTests {

	/** Bounds every wait; the normal case takes a few seconds. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** How soon after the promotion the worker drains and RPC answers again. */
	private static final Duration RECOVERY = Duration.ofSeconds(15);

	private static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);

	/** A call that has not ended this long after its timeout hangs. */
	private static final Duration HANG_MARGIN = Duration.ofSeconds(1);

	private static final String LOCK = "failover-lock";

	private static final List<String> ROOMS = List.of("red", "green", "blue");

	private final RedisSentinelSet sentinel = RedisSentinelSet.start();

	private final TestNodes nodes = TestNodes.redisSentinel(this.sentinel);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<TestClient> clients = new ArrayList<>();

	private final ScheduledExecutorService load = Executors.newScheduledThreadPool(6);

	/** Jobs whose enqueue returned, by id, with the nano time it returned. */
	private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();

	/** Enqueues that failed, by exception. */
	private final Map<String, AtomicInteger> enqueueFailures = new ConcurrentHashMap<>();

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	/** Every lock grant, in the order they were handed out. */
	private final List<Grant> grants = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopAll() throws Exception {
		this.load.shutdownNow();
		this.load.awaitTermination(10, TimeUnit.SECONDS);
		for (TestClient client : this.clients) {
			client.close();
		}
		this.nodes.close();
		this.sentinel.close();
	}

	@Test
	void jobsRpcLocksAndConnectionsRideOutTheMastersDeath() throws Exception {
		this.nodes.common().put("cluster.rpc-timeout", RPC_TIMEOUT.toMillis() + "ms");
		this.nodes.common().put("spring.data.redis.timeout", "1s");
		this.nodes.common().put("cluster.tasks.lease", "3s");
		for (int i = 0; i < 3; i++) {
			this.contexts.add(this.nodes.startWeb());
		}
		for (ConfigurableApplicationContext context : this.contexts) {
			await().atMost(TIMEOUT).until(() -> context.getBean(ClusterNodes.class).members().size() == 3);
		}
		ROOMS.forEach(bean(0, ChatRooms.class)::add);
		Map<String, Set<String>> expectedRooms = new LinkedHashMap<>();
		Map<String, String> holders = new LinkedHashMap<>();
		for (int node = 0; node < 3; node++) {
			for (int i = 0; i < 2; i++) {
				TestClient client = TestClient.connect(this.contexts.get(node));
				this.clients.add(client);
				Set<String> rooms = Set.of(ROOMS.get(node), ROOMS.get((node + i + 1) % 3));
				for (String room : rooms) {
					client.join(room);
				}
				expectedRooms.put(client.id(), rooms);
				holders.put(client.id(), id(node));
			}
		}

		startLoad();
		await().atMost(TIMEOUT).until(() -> runs().size() >= 100 && this.grants.size() >= 10 && okCalls() >= 10);
		long killedAt = System.nanoTime();
		long offset = this.sentinel.killMasterInSync();
		int runsAtKill = runs().size();
		int grantsAtKill = this.grants.size();
		this.sentinel.awaitPromotion(TIMEOUT);
		long promotedAt = System.nanoTime();
		// No job can be taken from when the writes were held until the promotion, so the
		// jobs that started by now were taken before the kill (a worker may start a job
		// it took a little after taking it)
		Set<String> takenBeforeKill = runs().stream().map(Run::jobId).collect(Collectors.toSet());

		// A failover can lose the last writes; the nodes must heal the directory then
		// too. Here the replica had them all, so lose two as a lagging replica would:
		// a join of the second client, and the registration of the fourth.
		ConnectionStore store = bean(0, ConnectionStore.class);
		TestClient lostJoin = this.clients.get(1);
		TestClient lostRegistration = this.clients.get(3);
		await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
			store.leave(ROOMS.get(0), lostJoin.id());
			store.unregister(lostRegistration.id(), holders.get(lostRegistration.id()));
			return true;
		});

		await().atMost(RECOVERY).until(() -> runs().size() > runsAtKill + 20);
		long drainingAt = System.nanoTime();
		await().atMost(RECOVERY)
			.until(() -> this.calls.stream().anyMatch((call) -> call.ok() && call.start() > killedAt));
		long rpcBackAt = this.calls.stream()
			.filter((call) -> call.ok() && call.start() > killedAt)
			.mapToLong(Call::end)
			.min()
			.orElseThrow();
		await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertDirectory(expectedRooms, holders));
		long connectionsBackAt = System.nanoTime();
		await().atMost(TIMEOUT).until(() -> this.grants.size() > grantsAtKill + 10);
		stopLoad();

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(runs().stream().map(Run::jobId).collect(Collectors.toSet()))
				.containsAll(this.acknowledged.keySet()));
		Map<String, List<Run>> runsByJob = new TreeMap<>();
		runs().forEach((run) -> runsByJob.computeIfAbsent(run.jobId(), (jobId) -> new ArrayList<>()).add(run));
		// Runs on different nodes are listed node by node: order each job's by attempt
		runsByJob.values().forEach((jobRuns) -> jobRuns.sort(Comparator.comparingInt(Run::attempt)));
		List<List<Run>> ranAgain = runsByJob.values().stream().filter((jobRuns) -> jobRuns.size() > 1).toList();
		List<List<Run>> ranAgainWrongly = ranAgain.stream()
			.filter((jobRuns) -> !takenBeforeKill.contains(jobRuns.get(0).jobId()) || !increasing(jobRuns))
			.toList();
		long lost = this.acknowledged.keySet().stream().filter((jobId) -> !runsByJob.containsKey(jobId)).count();

		List<Call> hung = this.calls.stream()
			.filter((call) -> call.end() - call.start() > RPC_TIMEOUT.plus(HANG_MARGIN).toNanos())
			.toList();
		Map<String, Long> failures = this.calls.stream()
			.filter((call) -> !call.ok())
			.collect(Collectors.groupingBy(Call::outcome, TreeMap::new, Collectors.counting()));
		List<String> tokenRegressions = tokenRegressions();

		System.out.printf(
				"""
						=== Sentinel failover under load (master killed in sync at replication offset %d) ===
						promotion:          %d ms after the kill
						worker draining:    %d ms after the promotion (%d ms after the kill)
						RPC answering:      %d ms after the promotion (%d ms after the kill)
						connections back:   %d ms after the promotion (%d ms after the kill)
						jobs:  %d enqueues acknowledged, failed: %s; %d lost; %d ran again, %d of them not taken before the kill or not with a higher attempt and token; %d runs
						RPC:   %d calls, %d ok, %d failed %s, %d hung past %d ms + %d ms
						locks: %d grants, %d after the kill; fencing tokens %s
						%n""",
				offset, millis(promotedAt - killedAt), millis(drainingAt - promotedAt), millis(drainingAt - killedAt),
				millis(rpcBackAt - promotedAt), millis(rpcBackAt - killedAt), millis(connectionsBackAt - promotedAt),
				millis(connectionsBackAt - killedAt), this.acknowledged.size(), new TreeMap<>(this.enqueueFailures),
				lost, ranAgain.size(), ranAgainWrongly.size(), runs().size(), this.calls.size(),
				this.calls.stream().filter(Call::ok).count(), this.calls.size() - okCalls(), failures, hung.size(),
				RPC_TIMEOUT.toMillis(), HANG_MARGIN.toMillis(), this.grants.size(), this.grants.size() - grantsAtKill,
				tokenRegressions.isEmpty() ? "always higher than the last one handed out"
						: "went back " + tokenRegressions);

		assertThat(lost).isZero();
		assertThat(ranAgainWrongly).isEmpty();
		assertThat(Duration.ofNanos(drainingAt - promotedAt)).isLessThan(RECOVERY);
		assertThat(Duration.ofNanos(rpcBackAt - promotedAt)).isLessThan(RECOVERY);
		assertThat(hung).isEmpty();
		assertThat(failures.keySet()).noneMatch(
				(outcome) -> outcome.startsWith("unclear") || outcome.startsWith("wrong") || outcome.equals("hung"));
		// The replica had every grant: tokens go on from the last one. A lagging replica
		// can hand out a token again (docs/cache.md).
		assertThat(tokenRegressions).isEmpty();
	}

	private void startLoad() {
		AtomicInteger enqueues = new AtomicInteger();
		this.load.scheduleWithFixedDelay(() -> {
			int n = enqueues.getAndIncrement();
			try {
				String jobId = bean(n % 3, ClusterTasks.class).enqueue("record", new Greeting("load", n));
				this.acknowledged.put(jobId, System.nanoTime());
			}
			catch (RuntimeException ex) {
				this.enqueueFailures.computeIfAbsent(ex.getClass().getName(), (type) -> new AtomicInteger())
					.incrementAndGet();
			}
		}, 0, 4, TimeUnit.MILLISECONDS);
		for (int node = 0; node < 3; node++) {
			int caller = node;
			this.load.scheduleWithFixedDelay(() -> call(caller, (caller + 1) % 3), 0, 20, TimeUnit.MILLISECONDS);
			this.load.scheduleWithFixedDelay(() -> takeLock(caller), 0, 5, TimeUnit.MILLISECONDS);
		}
	}

	private void stopLoad() throws InterruptedException {
		this.load.shutdown();
		assertThat(this.load.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	private void call(int from, int to) {
		long start = System.nanoTime();
		String outcome;
		try {
			CompletableFuture<String> answer = bean(from, ClusterRpc.class).call(id(to), "whoami", String.class);
			String who = answer.get(RPC_TIMEOUT.plus(HANG_MARGIN).multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
			outcome = id(to).equals(who) ? "ok" : "wrong answer " + who;
		}
		catch (ExecutionException ex) {
			outcome = failure(ex.getCause());
		}
		catch (TimeoutException ex) {
			outcome = "hung";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (RuntimeException ex) {
			outcome = failure(ex);
		}
		this.calls.add(new Call(start, System.nanoTime(), outcome));
	}

	/**
	 * A failed call's exception, marked {@code unclear:} unless it is Cohort's own or
	 * Spring's {@link DataAccessException}, as docs/rpc.md says.
	 */
	private static String failure(Throwable ex) {
		boolean clear = ex instanceof ClusterException || ex instanceof DataAccessException;
		return (clear ? "" : "unclear: ") + ex.getClass().getName();
	}

	private void takeLock(int node) {
		try {
			Optional<ClusterLock> lock = bean(node, ClusterCache.class).tryLock(LOCK, Duration.ofSeconds(2));
			if (lock.isPresent()) {
				this.grants.add(new Grant(id(node), lock.get().fencingToken()));
				lock.get().unlock();
			}
		}
		catch (RuntimeException ex) {
			// Redis is failing over: taking or giving back the lock failed, try again.
		}
	}

	/**
	 * Whether the runs of a job, in the order of their attempts, have distinct attempts
	 * and ever higher fencing tokens.
	 */
	private static boolean increasing(List<Run> jobRuns) {
		for (int i = 1; i < jobRuns.size(); i++) {
			Run before = jobRuns.get(i - 1);
			Run run = jobRuns.get(i);
			if (run.attempt() <= before.attempt() || run.fencingToken() <= before.fencingToken()) {
				return false;
			}
		}
		return true;
	}

	private List<String> tokenRegressions() {
		List<String> regressions = new ArrayList<>();
		long highest = 0;
		for (Grant grant : this.grants) {
			if (grant.token() <= highest) {
				regressions.add(grant + " after " + highest);
			}
			highest = Math.max(highest, grant.token());
		}
		return regressions;
	}

	/**
	 * Every client is in the directory on its node and in its rooms, as every node sees
	 * it, and a call to it reaches its node.
	 */
	private void assertDirectory(Map<String, Set<String>> expectedRooms, Map<String, String> holders) throws Exception {
		for (Map.Entry<String, Set<String>> client : expectedRooms.entrySet()) {
			String connectionId = client.getKey();
			String holder = holders.get(connectionId);
			int other = (List.of(id(0), id(1), id(2)).indexOf(holder) + 1) % 3;
			ConnectionInfo info = bean(other, ClusterConnections.class).apply(connectionId);
			assertThat(info.nodeId()).isEqualTo(holder);
			assertThat(info.rooms()).containsExactlyInAnyOrderElementsOf(client.getValue());
			assertThat(bean(other, ClusterRpc.class).callConnection(connectionId, "whoami", String.class)
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(holder);
		}
		for (String room : ROOMS) {
			List<String> members = bean(0, ChatRooms.class).status(room)
				.stream()
				.map(RoomMember::connectionId)
				.toList();
			assertThat(members).containsExactlyInAnyOrderElementsOf(expectedRooms.entrySet()
				.stream()
				.filter((client) -> client.getValue().contains(room))
				.map(Map.Entry::getKey)
				.toList());
		}
	}

	private List<Run> runs() {
		List<Run> runs = new ArrayList<>();
		for (int node = 0; node < 3; node++) {
			runs.addAll(bean(node, TaskEndpoints.class).runs);
		}
		return runs;
	}

	private long okCalls() {
		return this.calls.stream().filter(Call::ok).count();
	}

	private <T> T bean(int node, Class<T> type) {
		return this.contexts.get(node).getBean(type);
	}

	private String id(int node) {
		return bean(node, ClusterNodes.class).self().id();
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * One RPC call: when it started and ended, and how.
	 */
	private record Call(long start, long end, String outcome) {

		boolean ok() {
			return "ok".equals(this.outcome);
		}

	}

	/**
	 * One grant of the lock: to which node, with which fencing token.
	 */
	private record Grant(String node, long token) {

	}

}
