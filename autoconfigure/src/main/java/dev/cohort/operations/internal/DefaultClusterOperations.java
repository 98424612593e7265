package dev.cohort.operations.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.LockInfo;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.internal.RemoteText;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.ClusterOverview;
import dev.cohort.operations.NodeOverview;
import dev.cohort.operations.RecurringTaskOverview;
import dev.cohort.operations.RoomOverview;
import dev.cohort.operations.WorkerOverview;
import dev.cohort.rpc.UnknownConnectionException;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.MaskedArguments;
import dev.cohort.tasks.QueueHistory;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * {@link ClusterOperations} on Cohort's public beans, on either transport. Every
 * capability but the member list is optional: a node without tasks shows no queues, one
 * without a {@link ClusterCache} no locks, one without {@link ChatRooms} no rooms and one
 * without {@link ClusterConnections} no connections; a write that needs a missing
 * capability says which.
 */
public class DefaultClusterOperations implements ClusterOperations {

	/** The most jobs a page of {@link #queue} lists. */
	static final int MAX_PAGE = 1000;

	static final String DISCONNECT_REASON = "Disconnected by an operator";

	/**
	 * The operators' writes go to a log category of their own, named for what it holds
	 * rather than for this class, so that routing it (to an audit appender, say) survives
	 * changes to the engine.
	 */
	private static final Log logger = LogFactory.getLog("dev.cohort.operations.audit");

	private final ClusterNodes nodes;

	private final ClusterClock clock;

	private final Capabilities capabilities;

	/**
	 * Creates the service.
	 * @param nodes the member list
	 * @param clock the cluster's clock
	 * @param capabilities what else this node has
	 */
	public DefaultClusterOperations(ClusterNodes nodes, ClusterClock clock, Capabilities capabilities) {
		this.nodes = nodes;
		this.clock = clock;
		this.capabilities = capabilities;
	}

	@Override
	public ClusterOverview overview() {
		long now = this.clock.millis();
		List<NodeInfo> members = this.nodes.members();
		Map<String, Instant> heartbeats = this.nodes.lastHeartbeats();
		List<NodeOverview> nodes = members.stream().map((node) -> overview(node, heartbeats)).toList();
		ClusterTasks tasks = this.capabilities.tasks();
		List<QueueStats> queues = (tasks != null) ? tasks.stats() : List.of();
		List<WorkerOverview> workers = new ArrayList<>();
		if (tasks != null) {
			tasks.workingOn().forEach((node, running) -> workers.add(new WorkerOverview(node, masked(running))));
		}
		return new ClusterOverview(Instant.ofEpochMilli(now), this.nodes.self().id(), nodes, queues, workers,
				recurring(now), locks(), rooms(), connectionsPerNode(members));
	}

	private static NodeOverview overview(NodeInfo node, Map<String, Instant> heartbeats) {
		return new NodeOverview(node.id(), node.role(), node.host(), node.pid(), node.version(), node.startedAt(),
				heartbeats.get(node.id()));
	}

	private List<RecurringTaskOverview> recurring(long now) {
		TaskRegistry registry = this.capabilities.registry();
		if (registry == null) {
			return List.of();
		}
		List<TaskDefinition> recurring = registry.all()
			.stream()
			.filter(TaskDefinition::isRecurring)
			.sorted(Comparator.comparing(TaskDefinition::name))
			.toList();
		if (recurring.isEmpty()) {
			return List.of();
		}
		TaskStore store = this.capabilities.taskStore();
		TaskStore.Leader leading = (store != null) ? store.leader() : null;
		String leader = (leading != null) ? leading.nodeId() : null;
		Set<String> paused = (store != null) ? store.pausedRecurring() : Set.of();
		return recurring.stream().map((task) -> {
			TaskStore.RecurringPeriod mark = (store != null) ? store.lastPeriod(task.name(), task.queue()) : null;
			Long last = (mark != null) ? mark.start() : null;
			return new RecurringTaskOverview(task.name(), task.queue(), schedule(task),
					(last != null) ? Instant.ofEpochMilli(last) : null, Instant.ofEpochMilli(nextFire(task, last, now)),
					leader, paused.contains(task.name()));
		}).toList();
	}

	/**
	 * A task's schedule as text: {@code every PT1M} or {@code cron 0 0 * * * *}.
	 */
	static String schedule(TaskDefinition task) {
		return (task.frequency() != null) ? "every " + task.frequency() : "cron " + task.cron();
	}

	/**
	 * When the scheduler enqueues a task's next period: the one after the last enqueued,
	 * or for a task that never ran, the current period of a frequency (enqueued at once)
	 * or the cron's next fire time. A time in the past means the period is overdue: no
	 * scheduler leads.
	 */
	static long nextFire(TaskDefinition task, @Nullable Long lastPeriod, long now) {
		if (lastPeriod != null) {
			return task.nextPeriod(lastPeriod);
		}
		if (task.frequency() != null) {
			long length = task.frequency().toMillis();
			return Math.floorDiv(now, length) * length;
		}
		return task.nextPeriod(now);
	}

	private List<LockInfo> locks() {
		ClusterCache cache = this.capabilities.cache();
		if (cache == null) {
			return List.of();
		}
		List<LockInfo> locks = new ArrayList<>(cache.locks());
		locks.sort(Comparator.comparing(LockInfo::name));
		return locks;
	}

	private List<RoomOverview> rooms() {
		ChatRooms rooms = this.capabilities.rooms();
		if (rooms == null) {
			return List.of();
		}
		return new TreeMap<>(rooms.memberCounts()).entrySet()
			.stream()
			.map((room) -> new RoomOverview(room.getKey(), room.getValue()))
			.toList();
	}

	private Map<String, Long> connectionsPerNode(List<NodeInfo> members) {
		ClusterConnections connections = this.capabilities.connections();
		Map<String, Long> counts = new TreeMap<>();
		if (connections != null) {
			members.forEach((node) -> counts.put(node.id(), connections.count(node.id())));
		}
		return counts;
	}

	@Override
	public Optional<NodeDetails> node(String nodeId) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		return this.nodes.member(nodeId).map((node) -> {
			ClusterConnections connections = this.capabilities.connections();
			return new NodeDetails(overview(node, this.nodes.lastHeartbeats()),
					(connections != null) ? connections.listOn(nodeId) : List.of());
		});
	}

	@Override
	public Optional<QueueDetails> queue(String queue, int from, int count) {
		checkPage(queue, from, count);
		ClusterTasks tasks = this.capabilities.tasks();
		if (tasks == null) {
			return Optional.empty();
		}
		Optional<QueueStats> counts = tasks.stats().stream().filter((stats) -> stats.queue().equals(queue)).findFirst();
		return counts.map((stats) -> {
			List<JobInfo> waiting = masked(tasks.queued(queue, 0, count - 1L));
			List<JobInfo> delayed = masked(tasks.delayed(queue, 0, count - 1L));
			List<JobInfo> running = masked(tasks.workingOn()
				.values()
				.stream()
				.flatMap(List::stream)
				.filter((job) -> job.queue().equals(queue))
				.limit(count)
				.toList());
			List<FailedJob> failed = tasks.failed(queue, from, from + count - 1L).stream().map(this::masked).toList();
			return new QueueDetails(stats, waiting, delayed, running, failed,
					tasks.history(queue, Duration.ofHours(1)));
		});
	}

	@Override
	public List<JobInfo> waiting(String queue, int from, int count) {
		checkPage(queue, from, count);
		ClusterTasks tasks = this.capabilities.tasks();
		return (tasks != null) ? masked(tasks.queued(queue, from, from + count - 1L)) : List.of();
	}

	@Override
	public List<JobInfo> delayed(String queue, int from, int count) {
		checkPage(queue, from, count);
		ClusterTasks tasks = this.capabilities.tasks();
		return (tasks != null) ? masked(tasks.delayed(queue, from, from + count - 1L)) : List.of();
	}

	@Override
	public List<FailedJob> failed(String queue, int from, int count) {
		checkPage(queue, from, count);
		ClusterTasks tasks = this.capabilities.tasks();
		return (tasks != null) ? tasks.failed(queue, from, from + count - 1L).stream().map(this::masked).toList()
				: List.of();
	}

	private static void checkPage(String queue, int from, int count) {
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.isTrue(from >= 0, () -> "'from' must not be negative, but was " + from);
		Assert.isTrue(count >= 1 && count <= MAX_PAGE,
				() -> "'count' must be between 1 and " + MAX_PAGE + ", but was " + count);
	}

	@Override
	public QueueHistory history(String queue, Duration window) {
		Assert.hasText(queue, "'queue' must not be empty");
		ClusterTasks tasks = this.capabilities.tasks();
		return (tasks != null) ? tasks.history(queue, window) : new QueueHistory(queue, List.of());
	}

	@Override
	public Optional<RoomDetails> room(String room) {
		Assert.hasText(room, "'room' must not be empty");
		ChatRooms rooms = this.capabilities.rooms();
		if (rooms == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(new RoomDetails(room, rooms.status(room)));
		}
		catch (ChatRoomException ex) {
			return Optional.empty();
		}
	}

	@Override
	public boolean retryFailed(String jobId, String actor) {
		String queue = JobRecord.queueOf(jobId);
		boolean retried = requireTasks().retryFailed(jobId);
		log(actor, retried ? "retried failed job " + quoted(jobId) + " of queue " + quoted(queue)
				: "asked to retry job " + quoted(jobId) + " of queue " + quoted(queue) + ", which is not failed");
		return retried;
	}

	@Override
	public long retryAllFailed(String queue, String actor) {
		long retried = requireTasks().retryAllFailed(queue);
		log(actor, "retried all " + retried + " failed jobs of queue " + quoted(queue));
		return retried;
	}

	@Override
	public boolean deleteFailed(String jobId, String actor) {
		String queue = JobRecord.queueOf(jobId);
		boolean deleted = requireTasks().deleteFailed(jobId);
		log(actor, deleted ? "deleted failed job " + quoted(jobId) + " of queue " + quoted(queue)
				: "asked to delete job " + quoted(jobId) + " of queue " + quoted(queue) + ", which is not failed");
		return deleted;
	}

	@Override
	public long deleteAllFailed(String queue, String actor) {
		long deleted = requireTasks().deleteAllFailed(queue);
		log(actor, "deleted all " + deleted + " failed jobs of queue " + quoted(queue));
		return deleted;
	}

	@Override
	public boolean cancelJob(String jobId, String actor) {
		String queue = JobRecord.queueOf(jobId);
		boolean cancelled = requireTasks().cancel(jobId);
		log(actor, cancelled ? "cancelled job " + quoted(jobId) + " of queue " + quoted(queue)
				: "asked to cancel job " + quoted(jobId) + " of queue " + quoted(queue) + ", which does not exist");
		return cancelled;
	}

	@Override
	public boolean pauseQueue(String queue, String actor) {
		boolean paused = requireTasks().pauseQueue(queue);
		log(actor, paused ? "paused queue " + quoted(queue)
				: "asked to pause queue " + quoted(queue) + ", which is paused already");
		return paused;
	}

	@Override
	public boolean resumeQueue(String queue, String actor) {
		boolean resumed = requireTasks().resumeQueue(queue);
		log(actor, resumed ? "resumed queue " + quoted(queue)
				: "asked to resume queue " + quoted(queue) + ", which is not paused");
		return resumed;
	}

	@Override
	public long deleteQueue(String queue, String actor) {
		long deleted = requireTasks().deleteQueue(queue);
		log(actor, "deleted all " + deleted + " waiting and delayed jobs of queue " + quoted(queue));
		return deleted;
	}

	@Override
	public boolean pauseRecurring(String task, String actor) {
		boolean paused = requireTasks().pauseRecurring(task);
		log(actor, paused ? "paused recurring task " + quoted(task)
				: "asked to pause recurring task " + quoted(task) + ", which is paused already");
		return paused;
	}

	@Override
	public boolean resumeRecurring(String task, String actor) {
		boolean resumed = requireTasks().resumeRecurring(task);
		log(actor, resumed ? "resumed recurring task " + quoted(task)
				: "asked to resume recurring task " + quoted(task) + ", which is not paused");
		return resumed;
	}

	@Override
	public boolean releaseLock(String name, String actor) {
		ClusterCache cache = this.capabilities.cache();
		if (cache == null) {
			throw new UnsupportedOperationException(
					"This node has no ClusterCache, so it cannot release lock '" + name + "'");
		}
		Optional<LockInfo> held = cache.checkLock(name);
		boolean released = cache.releaseLock(name);
		log(actor, released ? "released lock " + quoted(name) + held
			.map((lock) -> " held by node " + quoted(lock.nodeId()) + " (fencing token " + lock.fencingToken() + ")")
			.orElse("") : "asked to release lock " + quoted(name) + ", which nobody holds");
		return released;
	}

	@Override
	public boolean disconnect(String connectionId, String actor) {
		Assert.hasText(connectionId, "'connectionId' must not be empty");
		ClusterConnections connections = this.capabilities.connections();
		if (connections == null) {
			throw new UnsupportedOperationException(
					"This node has no ClusterConnections, so it cannot disconnect '" + connectionId + "'");
		}
		boolean disconnected;
		String nodeId = null;
		try {
			nodeId = connections.apply(connectionId, ConnectionOperation.disconnect(DISCONNECT_REASON)).nodeId();
			disconnected = true;
		}
		catch (UnknownConnectionException ex) {
			disconnected = false;
		}
		log(actor, disconnected ? "disconnected connection " + quoted(connectionId) + " on node " + quoted(nodeId)
				: "asked to disconnect connection " + quoted(connectionId) + ", which no live node holds");
		return disconnected;
	}

	private ClusterTasks requireTasks() {
		ClusterTasks tasks = this.capabilities.tasks();
		if (tasks == null) {
			throw new UnsupportedOperationException("This node has no ClusterTasks, so it cannot change jobs");
		}
		return tasks;
	}

	private List<JobInfo> masked(List<JobInfo> jobs) {
		return jobs.stream().map(this::masked).toList();
	}

	private JobInfo masked(JobInfo job) {
		return new JobInfo(job.id(), job.task(), job.queue(), mask(job.task(), job.args()), job.enqueuedAt(),
				job.state(), job.dueAt(), job.node(), job.startedAt());
	}

	/**
	 * A failed job's arguments were masked by the worker that failed it; they are masked
	 * again by this node's definition, in case it masks more.
	 */
	private FailedJob masked(FailedJob job) {
		return new FailedJob(job.id(), job.task(), job.queue(), mask(job.task(), job.args()), job.reason(), job.node(),
				job.attempts(), job.exception(), job.message(), job.stackTrace(), job.failedAt());
	}

	private @Nullable String mask(String task, @Nullable String args) {
		TaskRegistry registry = this.capabilities.registry();
		return (registry != null) ? registry.mask(task, args) : MaskedArguments.mask(args, null);
	}

	private static void log(String actor, String action) {
		if (logger.isInfoEnabled()) {
			logger.info("Operator " + quoted(ClusterOperations.operator(actor)) + " " + action);
		}
	}

	/**
	 * Text an operator typed, safe in a log line.
	 */
	private static String quoted(@Nullable String text) {
		return "'" + RemoteText.detail(text) + "'";
	}

	/**
	 * What a node has besides its member list, each {@code null} when it lacks it.
	 *
	 * @param tasks the task queues
	 * @param registry the tasks this node defines, which say how to mask arguments and
	 * which tasks recur
	 * @param taskStore the task store, for the last period of recurring tasks
	 * @param cache the cluster cache, for locks and the scheduler's leader
	 * @param connections the WebSocket connections
	 * @param rooms the chat rooms
	 */
	public record Capabilities(@Nullable ClusterTasks tasks, @Nullable TaskRegistry registry,
			@Nullable TaskStore taskStore, @Nullable ClusterCache cache, @Nullable ClusterConnections connections,
			@Nullable ChatRooms rooms) {

		/** A node with nothing but its member list. */
		public static final Capabilities NONE = new Capabilities(null, null, null, null, null, null);

	}

}
