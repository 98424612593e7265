package dev.cohort.tasks.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.internal.KeyPatterns;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import dev.cohort.internal.redis.AsyncScripts;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.internal.redis.RedisKeyScanner;
import dev.cohort.internal.redis.RedisScripts;
import dev.cohort.internal.redis.ReplicaWait;
import dev.cohort.internal.redis.ReplicaWait.Replicated;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.Settlement;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The task queue in Redis. Each queue's keys share the hash tag
 * {@code {<namespace>:tasks:<queue>}} and every change is one Lua script on them, on the
 * Redis server's clock, so a queue works the same on a Redis Cluster. Idle workers block
 * on the wake-up lists of their queues, {@code {<namespace>:tasks}:wake:<queue>}, which
 * enqueues push to.
 */
public class RedisTaskStore implements TaskStore, AutoCloseable {

	/**
	 * Wake-ups kept at most per queue. Each wakes one idle worker, which takes as many
	 * jobs as it has free processors; more would only make idle workers look at an empty
	 * queue again after a burst.
	 */
	private static final long WAKE_CAPACITY = 100;

	/**
	 * The task scripts, each after the functions every task script shares.
	 */
	private static final RedisScripts SCRIPTS = RedisScripts.in("dev/cohort/tasks/redis", "common.lua");

	private static final RedisScript<List> ENQUEUE = SCRIPTS.script("enqueue.lua", List.class);

	private static final RedisScript<List> CLAIM = SCRIPTS.script("claim.lua", List.class);

	private static final RedisScript<List> SETTLE = SCRIPTS.script("settle.lua", List.class);

	private static final RedisScript<List> RENEW = SCRIPTS.script("renew.lua", List.class);

	private static final RedisScript<Long> NEXT_WAKE = SCRIPTS.script("next-wake.lua", Long.class);

	private static final RedisScript<Long> RECURRING = SCRIPTS.script("recurring.lua", Long.class);

	private static final RedisScript<Long> REMOVE = SCRIPTS.script("remove.lua", Long.class);

	private static final RedisScript<Long> RETRY_FAILED = SCRIPTS.script("retry-failed.lua", Long.class);

	private static final RedisScript<List> INSPECT = SCRIPTS.script("inspect.lua", List.class);

	private static final RedisScript<Long> WAKE = SCRIPTS.script("wake.lua", Long.class);

	private static final RedisScript<List> COUNTS = SCRIPTS.script("counts.lua", List.class);

	private static final RedisScript<List> FAILED_PAGE = SCRIPTS.script("failed-page.lua", List.class);

	private static final RedisScript<List> DELAYED_PAGE = SCRIPTS.script("delayed-page.lua", List.class);

	private static final RedisScript<Long> DELETE_FAILED = SCRIPTS.script("delete-failed.lua", Long.class);

	private static final RedisScript<Long> DELETE_QUEUE = SCRIPTS.script("delete-queue.lua", Long.class);

	private static final RedisScript<List> WAITING_OF_TASK = SCRIPTS.script("waiting-of-task.lua", List.class);

	private static final RedisScript<Long> REMOVE_WAITING = SCRIPTS.script("remove-waiting.lua", Long.class);

	private static final RedisScript<List> HISTORY = SCRIPTS.script("history.lua", List.class);

	private static final RedisScript<List> PERIOD_BEGIN = SCRIPTS.script("period-begin.lua", List.class);

	private static final RedisScript<Long> PERIOD_END = SCRIPTS.script("period-end.lua", Long.class);

	private static final RedisScript<Long> LEAD = SCRIPTS.script("lead.lua", Long.class);

	private static final RedisScript<Long> RESIGN = SCRIPTS.script("resign.lua", Long.class);

	private static final RedisScript<List> LEADER = SCRIPTS.script("leader.lua", List.class);

	/**
	 * The most queues this node remembers having added to the set of queues; beyond them
	 * an enqueue adds its queue again (an {@code SADD} that changes nothing).
	 */
	static final int MAX_REMEMBERED_QUEUES = 1000;

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(RedisTaskStore.class), 10_000);

	/**
	 * The names of a queue's keys, in the order every queue script takes them as KEYS[1]
	 * to KEYS[13]; KEYS[14] is the prefix of the queue's job locks, KEYS[15] the
	 * {@link #PAUSED} flag.
	 */
	private static final String[] QUEUE_KEYS = { "pending", "jobs", "delayed", "active", "leases", "failed", "failures",
			"fence", "unique", "stats", "attempts", "recurring", "history" };

	/** The name of the key, beside the queue's others, that says it is paused. */
	private static final String PAUSED = "paused";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final ClusterKeys keys;

	private final BlockingRedis blocking;

	private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

	/**
	 * Whether the enqueue script pushes the wake-ups too: not on a Redis Cluster, where
	 * the wake-up lists are not in the slot of the queue's keys.
	 */
	private final boolean wakeInScript;

	/** Scripts run without waiting, or {@code null} if the factory is not Lettuce's. */
	private final @Nullable AsyncScripts async;

	/**
	 * Enqueues and ends of jobs that wait for replicas, or {@code null} if none do.
	 */
	private final @Nullable ReplicaWait durable;

	private volatile Consumer<Stall> stallListener = (stall) -> {
	};

	public RedisTaskStore(StringRedisTemplate redis, ClusterKeys keys, BlockingRedis blocking) {
		this(redis, keys, blocking, null);
	}

	/**
	 * Creates a store whose enqueues and ends of jobs may wait for replicas.
	 * @param redis the template
	 * @param keys the key names
	 * @param blocking opens the connections idle workers wait on
	 * @param durable waits for replicas after each enqueue and end of a job, or
	 * {@code null} for no wait; closed with this store
	 */
	public RedisTaskStore(StringRedisTemplate redis, ClusterKeys keys, BlockingRedis blocking,
			@Nullable ReplicaWait durable) {
		this.redis = ClusterRetry.template(redis);
		this.keys = keys;
		this.blocking = blocking;
		this.wakeInScript = isStandalone(redis.getConnectionFactory());
		this.async = AsyncScripts.of(redis.getConnectionFactory());
		this.durable = durable;
	}

	/**
	 * Whether the connection factory talks to one Redis (alone or under Sentinel), where
	 * a script may touch keys of any slot; a factory of an unknown kind counts as a Redis
	 * Cluster's.
	 */
	private static boolean isStandalone(@Nullable RedisConnectionFactory factory) {
		return factory instanceof LettuceConnectionFactory lettuce && !lettuce.isClusterAware();
	}

	@Override
	public List<String> enqueueAll(String queue, List<NewJob> jobs) {
		if (jobs.isEmpty()) {
			return List.of();
		}
		// A job of another queue is refused before anything is written, the queue's
		// registration included.
		for (NewJob added : jobs) {
			if (!added.job().queue().equals(queue)) {
				throw new IllegalArgumentException("Job " + added.job().id() + " is not of queue " + queue);
			}
		}
		registerQueue(queue);
		List<String> keys = keys(queue);
		List<String> arguments = new ArrayList<>(jobs.size() * 4 + 2);
		if (this.wakeInScript) {
			keys.add(this.keys.taskWake(queue));
			arguments.add(Long.toString(WAKE_CAPACITY));
		}
		else {
			arguments.add("0");
		}
		arguments.add(queue);
		for (NewJob added : jobs) {
			JobRecord job = added.job();
			arguments.add(job.id());
			arguments.add(write(job));
			arguments.add(Long.toString(added.dueAtMillis()));
			arguments.add((job.unique() != null) ? job.unique() : "");
		}
		ReplicaWait durable = this.durable;
		Replicated<List> replicated = (durable != null) ? durable.runNow(ENQUEUE, keys, arguments) : null;
		List<?> reply = (replicated != null) ? RedisScripts.required(replicated.reply())
				: run(ENQUEUE, keys, arguments);
		List<String> ids = RedisScripts.strings(reply.get(0));
		String wakeError = String.valueOf(reply.get(1));
		if (!wakeError.isEmpty()) {
			log.warn("wake", "Could not wake the workers of queue " + queue + "; they find its jobs within 5 "
					+ "seconds anyway: " + RemoteText.detail(wakeError));
		}
		if (ids.size() != jobs.size()) {
			throw new IllegalStateException("The enqueue script answered " + ids.size() + " ids for " + jobs.size()
					+ " jobs of queue " + queue);
		}
		if (!this.wakeInScript && anyAdded(jobs, ids)) {
			signal(queue);
		}
		if (durable != null && replicated != null) {
			// After the wake-up: the jobs are on the master, and run if it lives on.
			durable.required(replicated, "enqueue", jobs.size() + " job(s) of queue " + queue + " (" + ids.get(0)
					+ ((ids.size() > 1) ? ", ..." : "") + ")");
		}
		return ids;
	}

	/**
	 * Runs a script of the hot path that answers a list: on Lettuce's own commands if the
	 * factory is Lettuce's, sparing the template's work around the call.
	 */
	private List<?> run(RedisScript<List> script, List<String> keys, List<String> arguments) {
		if (this.async != null) {
			return this.async.listNow(script, keys, arguments);
		}
		return RedisScripts.required(this.redis.execute(script, keys, arguments.toArray()));
	}

	private static boolean anyAdded(List<NewJob> jobs, List<String> ids) {
		for (int i = 0; i < jobs.size(); i++) {
			if (ids.get(i).equals(jobs.get(i).job().id())) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean enqueueRecurring(JobRecord job, long periodStart) {
		registerQueue(job.queue());
		List<String> keys = keys(job.queue());
		List<String> arguments = List.of(job.task(), Long.toString(periodStart), job.id(), write(job));
		if (this.durable != null) {
			return RedisScripts.isOne(this.durable.required(this.durable.runNow(RECURRING, keys, arguments),
					"recurring", "job " + job.id() + " of recurring task " + job.task()));
		}
		return RedisScripts.isOne(this.redis.execute(RECURRING, keys, arguments.toArray()));
	}

	/**
	 * Adds a queue to the set of queues, once per queue from this node.
	 */
	private void registerQueue(String queue) {
		if (!this.registeredQueues.contains(queue)) {
			Long added = this.redis.opsForSet().add(this.keys.taskQueues(), queue);
			if (this.registeredQueues.size() < MAX_REMEMBERED_QUEUES) {
				this.registeredQueues.add(queue);
			}
			if (added != null && added > 0) {
				// Workers of every queue ('*') learn of a new queue this way.
				signal(ANY_QUEUE);
			}
		}
	}

	@Override
	public @Nullable RecurringPeriod lastPeriod(String task, String queue) {
		Object mark = this.redis.opsForHash().get(this.keys.taskRecurring(), task);
		if (mark != null) {
			String[] parts = mark.toString().split("\\|", 3);
			if (parts.length == 3) {
				return new RecurringPeriod(Long.parseLong(parts[0]), parts[2], parts[1].equals("enqueued"));
			}
		}
		// Written before the marks were: the period its queue enqueued last.
		Object last = this.redis.opsForHash().get(key(queue, "recurring"), task);
		return (last != null) ? new RecurringPeriod(Long.parseLong(last.toString()), queue, true) : null;
	}

	@Override
	public RecurringPeriod beginPeriod(String task, long periodStart, String queue) {
		List<?> mark = RedisScripts.required(this.redis.execute(PERIOD_BEGIN, List.of(this.keys.taskRecurring()), task,
				Long.toString(periodStart), queue));
		return new RecurringPeriod(RedisScripts.number(mark.get(0)), String.valueOf(mark.get(1)),
				RedisScripts.number(mark.get(2)) == 1);
	}

	@Override
	public void endPeriod(String task, long periodStart, String queue) {
		this.redis.execute(PERIOD_END, List.of(this.keys.taskRecurring()), task, Long.toString(periodStart), queue);
	}

	@Override
	public long lead(String nodeId, String token, Duration lease) {
		return RedisScripts
			.count(this.redis.execute(LEAD, List.of(this.keys.taskScheduler(), this.keys.taskSchedulerFence()), token,
					nodeId, Long.toString(lease.toMillis())));
	}

	@Override
	public boolean resign(String token) {
		return RedisScripts.isOne(this.redis.execute(RESIGN, List.of(this.keys.taskScheduler()), token));
	}

	@Override
	public @Nullable Leader leader() {
		List<?> held = RedisScripts.list(this.redis.execute(LEADER, List.of(this.keys.taskScheduler())));
		if (held.size() < 3) {
			return null;
		}
		return new Leader(String.valueOf(held.get(0)), RedisScripts.number(held.get(1)),
				Duration.ofMillis(Math.max(0, RedisScripts.number(held.get(2)))));
	}

	@Override
	public List<ClaimedJob> claim(String queue, String nodeId, int max, Duration lease, int maxStalls,
			Duration lockWait) {
		return claimOrWait(queue, nodeId, max, lease, maxStalls, lockWait).jobs();
	}

	@Override
	public Claimed claimOrWait(String queue, String nodeId, int max, Duration lease, int maxStalls, Duration lockWait) {
		String leaseId = Lease.newId();
		List<?> reply = run(CLAIM, keys(queue), claimArguments(nodeId, max, lease, maxStalls, lockWait, leaseId));
		stalled(queue, reply, 3);
		return new Claimed(claimed(queue, nodeId, leaseId, reply, true), RedisScripts.number(reply.get(2)));
	}

	@Override
	public Claimed awaitThenClaim(WorkWaiter waiter, List<String> awaited, String queue, AwaitedClaim first,
			Consumer<List<ClaimedJob>> start, Function<Claimed, @Nullable AwaitedClaim> again)
			throws InterruptedException {
		if (this.wakeInScript && waiter instanceof RedisWaiter redisWaiter) {
			ClaimRounds rounds = new ClaimRounds(first.claim());
			Claimed last = redisWaiter.connection.leftPopThenRun(rounds.round(first), wakeKeys(awaited), CLAIM,
					keys(queue), (reply) -> {
						stalled(queue, reply, 3);
						List<ClaimedJob> jobs = claimed(queue, rounds.claim.nodeId(), rounds.leaseId, reply, false);
						start.accept(jobs);
						return new Claimed(jobs, RedisScripts.number(reply.get(2)));
					}, (claimed) -> {
						AwaitedClaim next = again.apply(claimed);
						return (next != null) ? rounds.round(next) : null;
					});
			if (last != null) {
				return last;
			}
		}
		return TaskStore.super.awaitThenClaim(waiter, awaited, queue, first, start, again);
	}

	/**
	 * The claims of {@link #awaitThenClaim}'s rounds, which follow one another: the reply
	 * read is always the last round's, with its lease id.
	 */
	private static final class ClaimRounds {

		private volatile ClaimRequest claim;

		private volatile String leaseId = "";

		ClaimRounds(ClaimRequest claim) {
			this.claim = claim;
		}

		BlockingRedis.Round round(AwaitedClaim next) {
			ClaimRequest request = next.claim();
			String id = Lease.newId();
			this.claim = request;
			this.leaseId = id;
			return new BlockingRedis.Round(next.timeout(), claimArguments(request.nodeId(), request.max(),
					request.lease(), request.maxStalls(), request.lockWait(), id));
		}

	}

	private static List<String> claimArguments(String nodeId, int max, Duration lease, int maxStalls, Duration lockWait,
			String leaseId) {
		return List.of(nodeId, Integer.toString(max), Long.toString(lease.toMillis()), Integer.toString(maxStalls),
				Long.toString(lockWait.toMillis()), leaseId);
	}

	/**
	 * Tells the stall listener of the jobs a claim took back, from the list at this
	 * position of a claim's or settle's reply: id, task, node, stalls, failed (1 or 0),
	 * attempts.
	 */
	private void stalled(String queue, @Nullable List<?> reply, int position) {
		if (reply == null || reply.size() <= position || !(reply.get(position) instanceof List<?> stalled)) {
			return;
		}
		for (int i = 0; i + 5 < stalled.size(); i += 6) {
			this.stallListener
				.accept(new Stall(queue, String.valueOf(stalled.get(i)), String.valueOf(stalled.get(i + 1)),
						String.valueOf(stalled.get(i + 2)), (int) RedisScripts.number(stalled.get(i + 3)),
						RedisScripts.number(stalled.get(i + 4)) == 1, (int) RedisScripts.number(stalled.get(i + 5))));
		}
	}

	@Override
	public void onStall(Consumer<Stall> listener) {
		this.stallListener = listener;
	}

	/**
	 * The jobs a claim took, from the claim script's reply; corrupt jobs are logged, and
	 * failed here if their JSON parses but does not map to a job.
	 */
	private List<ClaimedJob> claimed(String queue, String nodeId, String leaseId, @Nullable List<?> reply,
			boolean mayWait) {
		if (reply == null || reply.isEmpty()) {
			return List.of();
		}
		for (String corrupt : RedisScripts.strings(reply.get(1))) {
			log.warn("corrupt", "Job " + RemoteText.detail(corrupt) + " of queue " + queue
					+ " is corrupt (its JSON does not " + "parse): it joined the failed jobs with reason 'corrupt'");
		}
		List<?> taken = (List<?>) reply.get(0);
		List<ClaimedJob> claimed = new ArrayList<>(taken.size() / 5);
		for (int i = 0; i + 4 < taken.size(); i += 5) {
			String id = String.valueOf(taken.get(i));
			int attempt = (int) RedisScripts.number(taken.get(i + 2));
			long fence = RedisScripts.number(taken.get(i + 3));
			try {
				claimed.add(new ClaimedJob(readClaimed(queue, id, String.valueOf(taken.get(i + 1))), attempt, fence,
						(int) RedisScripts.number(taken.get(i + 4)), leaseId));
			}
			catch (JacksonException | IllegalArgumentException ex) {
				failCorrupt(queue, id, nodeId, attempt, new Lease(fence, leaseId), ex, mayWait);
			}
		}
		return claimed;
	}

	/**
	 * Reads a job just taken, which must be the job stored under its id in its queue.
	 */
	private JobRecord readClaimed(String queue, String id, String json) {
		JobRecord job = read(json);
		if (!id.equals(job.id()) || !queue.equals(job.queue()) || job.task() == null) {
			throw new IllegalArgumentException("its id, queue or task is not the job's");
		}
		return job;
	}

	/**
	 * Fails a job taken whose JSON parses but does not map to a job: the rest of its
	 * batch runs. On a thread where nothing may wait on Redis, the failure is sent
	 * without waiting.
	 */
	private void failCorrupt(String queue, String id, String nodeId, int attempt, Lease lease, Exception ex,
			boolean mayWait) {
		String reason = (ex instanceof JacksonException json) ? json.getOriginalMessage() : ex.getMessage();
		Map<String, Object> failure = new LinkedHashMap<>();
		failure.put("reason", "corrupt");
		failure.put("queue", queue);
		failure.put("node", nodeId);
		failure.put("attempt", attempt);
		failure.put("at", System.currentTimeMillis());
		failure.put("message", "The job's JSON does not map to a job: " + reason);
		Settle settle = new Settle(id, lease, Settlement.FAIL, Duration.ZERO, this.mapper.writeValueAsString(failure));
		if (mayWait) {
			try {
				settleAll(queue, List.of(settle));
				corruptFailed(queue, id, null);
			}
			catch (RuntimeException failed) {
				corruptFailed(queue, id, failed);
			}
		}
		else {
			settleAllAsync(queue, List.of(settle), null)
				.whenComplete((answer, failed) -> corruptFailed(queue, id, failed));
		}
	}

	private static void corruptFailed(String queue, String id, @Nullable Throwable failed) {
		if (failed == null) {
			log.warn("corrupt", "Job " + RemoteText.detail(id) + " of queue " + queue
					+ " is corrupt (its JSON does not map to a job): it joined the failed jobs with reason 'corrupt'");
		}
		else {
			// Its lease lapses: it is taken back, and fails as stalled in the end.
			log.warn("corrupt", "Job " + RemoteText.detail(id) + " of queue " + queue
					+ " is corrupt (its JSON does not map to a job), and could not be failed: " + failed);
		}
	}

	@Override
	public List<String> renew(String queue, Duration lease, Map<String, Lease> leases) {
		List<String> arguments = new ArrayList<>(leases.size() * 3 + 1);
		arguments.add(Long.toString(lease.toMillis()));
		leases.forEach((id, held) -> {
			arguments.add(id);
			arguments.add(Long.toString(held.fencingToken()));
			arguments.add(held.id());
		});
		List<?> lost = this.redis.execute(RENEW, keys(queue), arguments.toArray());
		return (lost != null) ? lost.stream().map(String::valueOf).toList() : List.of();
	}

	@Override
	public List<Boolean> settleAll(String queue, List<Settle> settles) {
		if (settles.isEmpty()) {
			return List.of();
		}
		List<String> arguments = settleArguments(settles, null, "");
		List<?> reply = RedisScripts
			.required(
					(this.durable != null)
							? this.durable.logged(this.durable.runNow(SETTLE, keys(queue), arguments), "settle",
									ended(queue, settles))
							: this.redis.execute(SETTLE, keys(queue), arguments.toArray()));
		return answers((List<?>) reply.get(0));
	}

	@Override
	public CompletionStage<Settled> settleAllAsync(String queue, List<Settle> settles, @Nullable ClaimRequest next) {
		ReplicaWait durable = this.durable;
		if ((this.async == null && durable == null) || settles.isEmpty()) {
			return TaskStore.super.settleAllAsync(queue, settles, next);
		}
		String leaseId = (next != null) ? Lease.newId() : "";
		List<String> arguments = settleArguments(settles, next, leaseId);
		CompletableFuture<List<Object>> replied = (durable != null)
				? durable.run(SETTLE, keys(queue), arguments)
					.thenApply((replicated) -> RedisScripts
						.<List<Object>>required(durable.logged(replicated, "settle", ended(queue, settles))))
				: Objects.requireNonNull(this.async).list(SETTLE, keys(queue), arguments);
		return replied.thenApply((reply) -> {
			stalled(queue, reply, 3);
			return new Settled(answers((List<?>) reply.get(0)),
					(next != null) ? claimed(queue, next.nodeId(), leaseId, reply.subList(1, 3), false) : List.of());
		});
	}

	/** What a settle records, for the log of one that missed the replicas. */
	private static String ended(String queue, List<Settle> settles) {
		return "the end of " + settles.size() + " job(s) of queue " + queue + " (" + settles.get(0).jobId()
				+ ((settles.size() > 1) ? ", ..." : "") + ")";
	}

	/**
	 * Closes the connections that wait for replicas, if any.
	 */
	@Override
	public void close() {
		if (this.durable != null) {
			this.durable.close();
		}
	}

	/**
	 * The settle script's arguments: the claim that follows (or none), then each end.
	 */
	private static List<String> settleArguments(List<Settle> settles, @Nullable ClaimRequest next, String leaseId) {
		List<String> arguments = new ArrayList<>(settles.size() * 5 + 6);
		if (next != null) {
			arguments.addAll(claimArguments(next.nodeId(), next.max(), next.lease(), next.maxStalls(), next.lockWait(),
					leaseId));
		}
		else {
			arguments.addAll(List.of("", "0", "0", "0", "0", ""));
		}
		for (Settle settle : settles) {
			arguments.add(settle.jobId());
			arguments.add(Long.toString(settle.lease().fencingToken()));
			arguments.add(settle.lease().id());
			arguments.add(outcome(settle.settlement()));
			arguments.add((settle.settlement() == Settlement.FAIL) ? String.valueOf(settle.failure())
					: Long.toString(settle.retryDelay().toMillis()));
		}
		return arguments;
	}

	/** The settle script's answers: 1 for each end recorded, 0 for each refused. */
	private static List<Boolean> answers(List<?> reply) {
		List<Boolean> settled = new ArrayList<>(reply.size());
		for (Object one : reply) {
			settled.add(RedisScripts.number(one) == 1);
		}
		return settled;
	}

	private static String outcome(Settlement settlement) {
		return switch (settlement) {
			case DONE -> "done";
			case RETRY -> "retry";
			case FAIL -> "fail";
			case HAND_BACK -> "hand-back";
		};
	}

	@Override
	public long nextWakeMillis(String queue) {
		Long wake = this.redis.execute(NEXT_WAKE, keys(queue));
		return (wake != null) ? wake : -1;
	}

	@Override
	public WorkWaiter waiter() {
		return new RedisWaiter(this.blocking.open());
	}

	private String[] wakeKeys(List<String> queues) {
		return queues.stream().map(this.keys::taskWake).toArray(String[]::new);
	}

	/**
	 * Waits on the wake-up lists of queues, on a connection of its own.
	 */
	private final class RedisWaiter implements WorkWaiter {

		private final BlockingRedis.Connection connection;

		private RedisWaiter(BlockingRedis.Connection connection) {
			this.connection = connection;
		}

		@Override
		public void await(List<String> queues, Duration timeout) {
			this.connection.leftPop(timeout, wakeKeys(queues));
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

	@Override
	public void signal(String queue) {
		try {
			// A script, not a pipeline: Spring Data pipelines on a connection of their
			// own.
			this.redis.execute(WAKE, List.of(this.keys.taskWake(queue)), queue, Long.toString(WAKE_CAPACITY));
		}
		catch (RuntimeException ex) {
			log.warn("wake", "Could not wake the workers of queue " + queue + "; they find its jobs within 5 "
					+ "seconds anyway: " + ex);
		}
	}

	@Override
	public Set<String> queues() {
		Set<String> queues = this.redis.opsForSet().members(this.keys.taskQueues());
		return (queues != null) ? queues : Set.of();
	}

	@Override
	public int remove(String jobId) {
		return (int) RedisScripts.count(this.redis.execute(REMOVE, keys(JobRecord.queueOf(jobId)), jobId));
	}

	@Override
	public boolean removeFailed(String jobId) {
		return RedisScripts.isOne(this.redis.execute(REMOVE, keys(JobRecord.queueOf(jobId)), jobId, "failed"));
	}

	@Override
	public boolean retryFailed(String jobId) {
		return RedisScripts.isOne(this.redis.execute(RETRY_FAILED, keys(JobRecord.queueOf(jobId)), jobId));
	}

	@Override
	public QueueSnapshot inspect(String queue, long from, long to) {
		List<?> reply = RedisScripts
			.required(this.redis.execute(INSPECT, keys(queue), Long.toString(from), Long.toString(to), "1000"));
		Map<String, JobRecord> jobs = new LinkedHashMap<>();
		RedisScripts.pairs(reply.get(5)).forEach((id, json) -> {
			try {
				jobs.put(id, read(json));
			}
			catch (JacksonException ex) {
				// Left out of the lists; the next claim of it fails it as corrupt.
				log.warn("corrupt", "Job " + RemoteText.detail(id) + " of queue " + queue + " is corrupt and left out: "
						+ ex.getOriginalMessage());
			}
		});
		Map<String, Long> delayed = new LinkedHashMap<>();
		RedisScripts.pairs(reply.get(2)).forEach((id, due) -> delayed.put(id, (long) Double.parseDouble(due)));
		Map<String, Long> stats = new LinkedHashMap<>();
		RedisScripts.pairs(reply.get(6)).forEach((name, count) -> stats.put(name, Long.valueOf(count)));
		return new QueueSnapshot(RedisScripts.number(reply.get(0)), RedisScripts.strings(reply.get(1)), delayed,
				RedisScripts.pairs(reply.get(3)), RedisScripts.pairs(reply.get(4)), jobs, stats,
				RedisScripts.number(reply.get(7)), RedisScripts.number(reply.get(8)));
	}

	@Override
	public QueueCounts counts(String queue) {
		List<?> reply = RedisScripts.required(this.redis.execute(COUNTS, keys(queue)));
		Map<String, Long> stats = new LinkedHashMap<>();
		RedisScripts.pairs(reply.get(4)).forEach((name, count) -> stats.put(name, Long.valueOf(count)));
		return new QueueCounts(RedisScripts.number(reply.get(0)), RedisScripts.number(reply.get(1)),
				RedisScripts.number(reply.get(2)), RedisScripts.number(reply.get(3)), stats,
				RedisScripts.number(reply.get(5)), RedisScripts.number(reply.get(6)) == 1);
	}

	@Override
	public long deleteQueue(String queue) {
		return RedisScripts.count(this.redis.execute(DELETE_QUEUE, keys(queue)));
	}

	@Override
	public List<JobRecord> waitingJobsOf(String queue, String task) {
		List<String> jobs = RedisScripts
			.strings(this.redis.execute(WAITING_OF_TASK, keys(queue), task, this.mapper.writeValueAsString(task)));
		List<JobRecord> records = new ArrayList<>(jobs.size());
		for (String json : jobs) {
			records.add(read(json));
		}
		return records;
	}

	@Override
	public int removeWaiting(String queue, List<String> jobIds) {
		if (jobIds.isEmpty()) {
			return 0;
		}
		return (int) RedisScripts.count(this.redis.execute(REMOVE_WAITING, keys(queue), jobIds.toArray()));
	}

	@Override
	public boolean pause(String queue, boolean paused) {
		registerQueue(queue);
		String key = key(queue, PAUSED);
		if (paused) {
			return Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(key, "1"));
		}
		return Boolean.TRUE.equals(this.redis.delete(key));
	}

	@Override
	public boolean pauseRecurring(String task, boolean paused) {
		Long changed = paused ? this.redis.opsForSet().add(this.keys.taskRecurringPaused(), task)
				: this.redis.opsForSet().remove(this.keys.taskRecurringPaused(), task);
		return changed != null && changed > 0;
	}

	@Override
	public Set<String> pausedRecurring() {
		Set<String> paused = this.redis.opsForSet().members(this.keys.taskRecurringPaused());
		return (paused != null) ? paused : Set.of();
	}

	@Override
	public List<FailedEntry> failed(String queue, long from, long to) {
		return page(FAILED_PAGE, "Failed", queue, from, to, FailedEntry::new);
	}

	@Override
	public List<DelayedEntry> delayed(String queue, long from, long to) {
		return page(DELAYED_PAGE, "Delayed", queue, from, to,
				(id, due, job) -> new DelayedEntry(id, Long.parseLong(due), job));
	}

	/**
	 * A page of listed jobs from a script that answers three values for each: the id, a
	 * value of the list (a failure, a due time), and the job's JSON ('' if none).
	 */
	private <T> List<T> page(RedisScript<List> script, String what, String queue, long from, long to,
			ListedJob<T> listed) {
		List<String> reply = RedisScripts
			.strings(this.redis.execute(script, keys(queue), Long.toString(from), Long.toString(to)));
		List<T> page = new ArrayList<>(reply.size() / 3);
		for (int i = 0; i + 2 < reply.size(); i += 3) {
			String id = reply.get(i);
			page.add(listed.of(id, reply.get(i + 1), readListed(what, queue, id, reply.get(i + 2))));
		}
		return page;
	}

	/**
	 * Makes the entry of a listed job.
	 */
	@FunctionalInterface
	private interface ListedJob<T> {

		T of(String id, String value, @Nullable JobRecord job);

	}

	/**
	 * A listed job's record, or {@code null} if it is gone or corrupt: the job is still
	 * listed, and can be retried or deleted.
	 */
	private @Nullable JobRecord readListed(String what, String queue, String id, String json) {
		if (json.isEmpty()) {
			return null;
		}
		try {
			return read(json);
		}
		catch (JacksonException ex) {
			log.warn("corrupt", what + " job " + RemoteText.detail(id) + " of queue " + queue
					+ " is corrupt and listed without its record: " + ex.getOriginalMessage());
			return null;
		}
	}

	@Override
	public int deleteFailed(String queue, int max) {
		return (int) RedisScripts.count(this.redis.execute(DELETE_FAILED, keys(queue), Integer.toString(max)));
	}

	@Override
	public History history(String queue) {
		List<?> reply = RedisScripts.required(this.redis.execute(HISTORY, keys(queue)));
		Map<String, String> fields = RedisScripts.pairs(reply.get(1));
		List<History.Minute> minutes = new ArrayList<>();
		for (int slot = 0; slot < History.SLOTS; slot++) {
			String minute = fields.get(slot + ":m");
			if (minute != null) {
				minutes.add(new History.Minute(Long.parseLong(minute), count(fields, slot + ":d"),
						count(fields, slot + ":f")));
			}
		}
		return new History(RedisScripts.number(reply.get(0)), minutes);
	}

	private static long count(Map<String, String> fields, String field) {
		String count = fields.get(field);
		return (count != null) ? Long.parseLong(count) : 0;
	}

	@Override
	public Map<String, String> jobLocks(String queue) {
		String prefix = this.keys.taskJobLockPrefix(queue);
		Map<String, String> locks = new LinkedHashMap<>();
		RedisKeyScanner.scan(this.redis, KeyPatterns.escape(prefix) + "*", (batch) -> {
			List<String> holders = this.redis.opsForValue().multiGet(batch);
			for (int i = 0; i < batch.size(); i++) {
				if (holders != null && holders.get(i) != null) {
					locks.put(batch.get(i).substring(prefix.length()), holders.get(i));
				}
			}
		});
		return locks;
	}

	@Override
	public boolean deleteJobLock(String queue, String lockKey) {
		return Boolean.TRUE.equals(this.redis.delete(this.keys.taskJobLock(queue, lockKey)));
	}

	/**
	 * The keys of a queue, as every queue script takes them: its thirteen keys, then the
	 * prefix of its job locks, whose full names the scripts make once they read a job's
	 * lock key. Made again for every call, not kept: queue names come from callers too
	 * (the job ids of {@code remove}).
	 */
	private List<String> keys(String queue) {
		List<String> names = new ArrayList<>(QUEUE_KEYS.length + 3);
		for (String key : QUEUE_KEYS) {
			names.add(key(queue, key));
		}
		names.add(this.keys.taskJobLockPrefix(queue));
		names.add(key(queue, PAUSED));
		return names;
	}

	/**
	 * How many queue names this store keeps in memory.
	 */
	int rememberedQueues() {
		return this.registeredQueues.size();
	}

	private String key(String queue, String name) {
		return this.keys.taskQueueKey(queue, name);
	}

	private String write(JobRecord job) {
		return this.mapper.writeValueAsString(job);
	}

	private JobRecord read(String json) {
		return this.mapper.readValue(json, JobRecord.class);
	}

}
