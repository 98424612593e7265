package dev.cohort.tasks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.FailedJob;
import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.QueueHistory;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskNames;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;
import org.springframework.validation.Validator;

/**
 * The {@link ClusterTasks} of both transports: it builds jobs and reads the store's
 * snapshots; the {@link TaskStore} keeps them.
 */
public class DefaultClusterTasks implements ClusterTasks {

	private static final Log logger = LogFactory.getLog(DefaultClusterTasks.class);

	/** The most failed jobs {@link #deleteAllFailed} deletes in one step. */
	private static final int DELETE_STEP = 1000;

	/** The longest window of {@link #history}: the history kept. */
	private static final Duration MAX_HISTORY = Duration.ofDays(1);

	private final EnqueueChecks checks;

	private final TaskMiddlewareChain middleware;

	private final TaskStore store;

	private final TaskRegistry registry;

	private final JsonMapper mapper;

	private final JsonMapper plainMapper = JsonMapper.builder().build();

	private final ClusterClock clock;

	private final ClusterBus bus;

	private final ClusterNodes nodes;

	/**
	 * Creates the task queue's API.
	 * @param store the store
	 * @param registry the tasks this node knows
	 * @param mapper writes arguments
	 * @param clock the cluster clock
	 * @param bus carries cancellations
	 * @param nodes the members
	 * @param validator checks the arguments of the jobs enqueued, or {@code null}
	 */
	public DefaultClusterTasks(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterClock clock,
			ClusterBus bus, ClusterNodes nodes, @Nullable Validator validator) {
		this(store, registry, mapper, clock, bus, nodes, validator, TaskMiddlewareChain.NONE);
	}

	/**
	 * Creates the task queue's API, its enqueues passed through the application's task
	 * middleware.
	 * @param store the store
	 * @param registry the tasks this node knows
	 * @param mapper writes arguments
	 * @param clock the cluster clock
	 * @param bus carries cancellations
	 * @param nodes the members
	 * @param validator checks the arguments of the jobs enqueued, or {@code null}
	 * @param middleware the task middleware
	 */
	public DefaultClusterTasks(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterClock clock,
			ClusterBus bus, ClusterNodes nodes, @Nullable Validator validator, TaskMiddlewareChain middleware) {
		this.middleware = middleware;
		this.checks = new EnqueueChecks(mapper, validator);
		this.store = store;
		this.registry = registry;
		this.mapper = mapper;
		this.clock = clock;
		this.bus = bus;
		this.nodes = nodes;
	}

	@Override
	public String enqueue(String task, @Nullable Object args) {
		return enqueue(JobRequest.of(task, args));
	}

	@Override
	public String enqueueIn(Duration delay, String task, @Nullable Object args) {
		return enqueue(JobRequest.of(task, args).in(delay));
	}

	@Override
	public String enqueueAt(Instant time, String task, @Nullable Object args) {
		return enqueue(JobRequest.of(task, args).at(time));
	}

	@Override
	public String enqueue(JobRequest request) {
		JobRequest accepted = this.middleware.beforeEnqueue(request);
		TaskStore.NewJob job = newJob(accepted);
		String id = this.store.enqueue(job.job(), job.dueAtMillis());
		this.middleware.afterEnqueue(accepted, id);
		return id;
	}

	@Override
	public List<String> enqueueAll(List<JobRequest> requests) {
		// Every job passes the middleware, and is made, its arguments written, before any
		// is enqueued.
		List<JobRequest> accepted = requests.stream().map(this.middleware::beforeEnqueue).toList();
		Map<String, List<TaskStore.NewJob>> byQueue = new LinkedHashMap<>();
		List<TaskStore.NewJob> jobs = new ArrayList<>(requests.size());
		for (JobRequest request : accepted) {
			TaskStore.NewJob job = newJob(request);
			jobs.add(job);
			byQueue.computeIfAbsent(job.job().queue(), (queue) -> new ArrayList<>()).add(job);
		}
		Map<String, String> waitingIds = new HashMap<>(jobs.size() * 2);
		byQueue.forEach((queue, queued) -> {
			List<String> ids = this.store.enqueueAll(queue, queued);
			for (int i = 0; i < queued.size(); i++) {
				waitingIds.put(queued.get(i).job().id(), ids.get(i));
			}
		});
		List<String> ids = new ArrayList<>(jobs.size());
		for (int i = 0; i < jobs.size(); i++) {
			String id = Objects.requireNonNull(waitingIds.get(jobs.get(i).job().id()));
			ids.add(id);
			this.middleware.afterEnqueue(accepted.get(i), id);
		}
		return ids;
	}

	/**
	 * Makes the job a request asks for: its queue, its arguments as JSON, its keys and
	 * when it is due.
	 */
	private TaskStore.NewJob newJob(JobRequest request) {
		TaskDefinition task = this.registry.get(request.getTask());
		String queue = (request.getQueue() != null) ? request.getQueue()
				: (task != null) ? task.queue() : TaskDefinition.DEFAULT_QUEUE;
		String args = writeArgs(request.getTask(), request.getArgs());
		this.checks.check(task, request.getArgs(), args);
		boolean unique = task != null && task.unique();
		boolean locked = task != null && task.jobLock();
		// The identity (a digest of the canonical arguments) only for the jobs that need
		// it.
		String identity = (unique || locked) ? identity(request.getTask(), queue, args) : null;
		long now = this.clock.millis();
		long dueAt = 0;
		if (request.getAt() != null) {
			dueAt = request.getAt().toEpochMilli();
		}
		else if (request.getIn() != null && !request.getIn().isZero()) {
			dueAt = now + request.getIn().toMillis();
		}
		JobRecord job = new JobRecord(JobIds.next(queue), request.getTask(), queue, args, now, unique ? identity : null,
				locked ? identity : null, null);
		return new TaskStore.NewJob(job, dueAt);
	}

	private @Nullable String writeArgs(String task, @Nullable Object args) {
		if (args == null) {
			return null;
		}
		try {
			return this.mapper.writeValueAsString(args);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"The arguments of task '" + task + "' cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private static String identity(String task, String queue, @Nullable String args) {
		return JobIdentity.of(task, queue, args);
	}

	@Override
	public boolean cancel(String jobId) {
		String queue = JobRecord.queueOf(jobId);
		int removed = this.store.remove(jobId);
		if (removed >= 0) {
			return removed == 1;
		}
		String lease = this.store.inspect(queue, 1, 0).active().get(jobId);
		if (lease == null) {
			return false;
		}
		this.bus.send(TaskWorker.CANCEL, lease.substring(0, lease.indexOf('|')), jobId);
		return true;
	}

	@Override
	public boolean delete(String jobId) {
		return this.store.remove(jobId) == 1;
	}

	@Override
	public boolean deleteFailed(String jobId) {
		return this.store.removeFailed(jobId);
	}

	@Override
	public long deleteQueue(String queue) {
		long deleted = this.store.deleteQueue(TaskNames.check("queue", queue));
		logger.info("Queue '" + queue + "': " + deleted + " waiting and delayed jobs deleted");
		return deleted;
	}

	@Override
	public long deleteJobs(String queue, String task, @Nullable Object args) {
		TaskNames.check("queue", queue);
		TaskNames.check("task name", task);
		String identity = identity(task, queue, writeArgs(task, args));
		List<String> ids = this.store.waitingJobsOf(queue, task)
			.stream()
			.filter((job) -> identity.equals(identityOrNull(job)))
			.map(JobRecord::id)
			.toList();
		int deleted = this.store.removeWaiting(queue, ids);
		logger.info("Queue '" + queue + "': " + deleted + " waiting and delayed jobs of task '" + task
				+ "' with the arguments given deleted");
		return deleted;
	}

	/** A job's identity, or {@code null} if its arguments do not parse (planted). */
	private static @Nullable String identityOrNull(JobRecord job) {
		try {
			return identity(job.task(), job.queue(), job.args());
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	@Override
	public boolean pauseQueue(String queue) {
		boolean paused = this.store.pause(TaskNames.check("queue", queue), true);
		if (paused) {
			logger.info("Queue '" + queue + "' paused: workers take none of its jobs until it is resumed");
		}
		return paused;
	}

	@Override
	public boolean resumeQueue(String queue) {
		boolean resumed = this.store.pause(TaskNames.check("queue", queue), false);
		if (resumed) {
			logger.info("Queue '" + queue + "' resumed");
			this.store.signal(queue);
		}
		return resumed;
	}

	@Override
	public boolean pauseRecurring(String task) {
		boolean paused = this.store.pauseRecurring(recurringTask(task), true);
		if (paused) {
			logger.info("Recurring task '" + task + "' paused: none of its runs is enqueued until it is resumed");
		}
		return paused;
	}

	@Override
	public boolean resumeRecurring(String task) {
		boolean resumed = this.store.pauseRecurring(recurringTask(task), false);
		if (resumed) {
			logger.info("Recurring task '" + task + "' resumed");
		}
		return resumed;
	}

	@Override
	public Set<String> pausedRecurring() {
		return this.store.pausedRecurring();
	}

	/**
	 * A task's name, checked: a task this node knows must be recurring. One it does not
	 * know may be defined on the worker nodes only.
	 */
	private String recurringTask(String task) {
		TaskNames.check("task name", task);
		TaskDefinition definition = this.registry.get(task);
		if (definition != null && !definition.isRecurring()) {
			throw new IllegalArgumentException("Task '" + task + "' is not recurring: pause its queue instead");
		}
		return task;
	}

	@Override
	public List<QueueStats> stats() {
		return this.store.queues().stream().sorted().map(this::stats).toList();
	}

	private QueueStats stats(String queue) {
		TaskStore.QueueCounts counts = this.store.counts(queue);
		Map<String, Long> stats = counts.stats();
		return new QueueStats(queue, counts.waiting(), counts.delayed(), counts.running(), counts.failed(),
				stats.getOrDefault("processed", 0L), stats.getOrDefault("failed", 0L),
				stats.getOrDefault("retried", 0L), stats.getOrDefault("stalled", 0L),
				(counts.oldestWaitingMillis() >= 0) ? Duration.ofMillis(counts.oldestWaitingMillis()) : null,
				counts.paused());
	}

	@Override
	public List<JobInfo> queued(String queue, long from, long to) {
		TaskStore.QueueSnapshot snapshot = this.store.inspect(TaskNames.check("queue", queue), from, to);
		return snapshot.waiting()
			.stream()
			.map(snapshot.jobs()::get)
			.filter(Objects::nonNull)
			.map((job) -> info(job, JobInfo.State.WAITING, null, null))
			.toList();
	}

	@Override
	public List<JobInfo> delayed(String queue, long from, long to) {
		TaskNames.check("queue", queue);
		checkPage(from, to);
		return this.store.delayed(queue, from, to)
			.stream()
			.filter((entry) -> entry.job() != null)
			.map((entry) -> info(Objects.requireNonNull(entry.job()), JobInfo.State.DELAYED,
					Instant.ofEpochMilli(entry.dueAtMillis()), null))
			.toList();
	}

	@Override
	public List<Instant> scheduledAt(String task, @Nullable Object args) {
		TaskDefinition definition = this.registry.get(task);
		String queue = (definition != null) ? definition.queue() : TaskDefinition.DEFAULT_QUEUE;
		String identity = identity(task, queue, writeArgs(task, args));
		TaskStore.QueueSnapshot snapshot = this.store.inspect(queue, 1, 0);
		List<Instant> times = new ArrayList<>();
		snapshot.delayed().forEach((id, due) -> {
			JobRecord job = snapshot.jobs().get(id);
			if (job != null && job.task().equals(task) && identity(task, queue, job.args()).equals(identity)) {
				times.add(Instant.ofEpochMilli(due));
			}
		});
		return times;
	}

	@Override
	public Map<String, List<JobInfo>> workingOn() {
		Map<String, List<JobInfo>> byNode = new TreeMap<>();
		this.nodes.members()
			.stream()
			.filter((node) -> node.role().runsTasks())
			.forEach((node) -> byNode.put(node.id(), new ArrayList<>()));
		for (String queue : this.store.queues()) {
			TaskStore.QueueSnapshot snapshot = this.store.inspect(queue, 1, 0);
			snapshot.active().forEach((id, lease) -> {
				JobRecord job = snapshot.jobs().get(id);
				if (job != null) {
					String[] parts = lease.split("\\|");
					byNode.computeIfAbsent(parts[0], (node) -> new ArrayList<>())
						.add(info(job, JobInfo.State.RUNNING, null, lease));
				}
			});
		}
		return byNode;
	}

	@Override
	public Optional<String> schedulerLeader() {
		TaskStore.Leader leader = this.store.leader();
		return (leader != null) ? Optional.of(leader.nodeId()) : Optional.empty();
	}

	@Override
	public Map<String, String> locks(String queue) {
		return this.store.jobLocks(TaskNames.check("queue", queue));
	}

	@Override
	public boolean deleteLock(String queue, String lockKey) {
		Assert.hasText(lockKey, "'lockKey' must not be empty");
		return this.store.deleteJobLock(TaskNames.check("queue", queue), lockKey);
	}

	@Override
	public List<FailedJob> failed(String queue) {
		return failed(queue, 0, 999);
	}

	@Override
	public List<FailedJob> failed(String queue, long from, long to) {
		TaskNames.check("queue", queue);
		checkPage(from, to);
		return this.store.failed(queue, from, to).stream().map((entry) -> failedJob(queue, entry)).toList();
	}

	private static void checkPage(long from, long to) {
		Assert.isTrue(from >= 0, () -> "'from' must be 0 or more, not " + from);
		Assert.isTrue(to >= -1, () -> "'to' must be a position, or -1 for the end, not " + to);
	}

	private FailedJob failedJob(String queue, TaskStore.FailedEntry entry) {
		JobRecord job = entry.job();
		JsonNode failure = failure(entry.failure());
		// The failure keeps the arguments with the masked properties hidden as the
		// failing worker knew them; the job's own arguments are never shown. They are
		// masked again as this node knows them, in case it hides more.
		JsonNode args = failure.get("args");
		String task = (job != null) ? job.task() : text(failure, "task");
		return new FailedJob(entry.id(), task, queue,
				this.registry.mask(task, (args != null && !args.isNull()) ? args.toString() : null),
				text(failure, "reason"), text(failure, "node"), failure.path("attempt").asInt(),
				nullableText(failure, "exception"), nullableText(failure, "message"), nullableText(failure, "stack"),
				Instant.ofEpochMilli(failure.path("at").asLong()));
	}

	@Override
	public long deleteAllFailed(String queue) {
		TaskNames.check("queue", queue);
		// In steps, so that no one script holds Redis for long; jobs that fail meanwhile
		// are deleted too.
		long deleted = 0;
		int step;
		do {
			step = this.store.deleteFailed(queue, DELETE_STEP);
			deleted += step;
		}
		while (step == DELETE_STEP);
		return deleted;
	}

	@Override
	public QueueHistory history(String queue, Duration window) {
		TaskNames.check("queue", queue);
		Assert.notNull(window, "'window' must not be null");
		if (window.isNegative() || window.isZero() || window.compareTo(MAX_HISTORY) > 0) {
			throw new IllegalArgumentException(
					"The history's window must be more than 0 and at most a day (history is kept for a day), not "
							+ window);
		}
		// The window's minutes, rounded up: 90 seconds list the current minute and the
		// one before.
		long count = window.plusMinutes(1).minusNanos(1).toMinutes();
		TaskStore.History kept = this.store.history(queue);
		Map<Long, TaskStore.History.Minute> byMinute = new HashMap<>();
		kept.minutes().forEach((minute) -> byMinute.put(minute.minute(), minute));
		long current = Math.floorDiv(kept.nowMillis(), 60_000L);
		List<QueueHistory.Minute> minutes = new ArrayList<>((int) count);
		for (long minute = current - count + 1; minute <= current; minute++) {
			TaskStore.History.Minute counts = byMinute.get(minute);
			minutes.add(new QueueHistory.Minute(Instant.ofEpochMilli(minute * 60_000),
					(counts != null) ? counts.done() : 0, (counts != null) ? counts.failed() : 0));
		}
		return new QueueHistory(queue, minutes);
	}

	/**
	 * A failure's JSON, or an empty one if it does not parse (planted in Redis): the job
	 * is still listed, and can be retried or deleted.
	 */
	private JsonNode failure(String json) {
		try {
			return this.plainMapper.readTree(json);
		}
		catch (JacksonException ex) {
			return this.plainMapper.createObjectNode();
		}
	}

	private static String text(JsonNode node, String field) {
		String text = nullableText(node, field);
		return (text != null) ? text : "";
	}

	private static @Nullable String nullableText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	@Override
	public boolean retryFailed(String jobId) {
		boolean retried = this.store.retryFailed(jobId);
		if (retried) {
			this.store.signal(JobRecord.queueOf(jobId));
		}
		return retried;
	}

	@Override
	public long retryAllFailed(String queue) {
		// failed() lists at most 1,000 at a time, oldest first. Jobs that fail again
		// while
		// this runs come back newer than the cut-off, and are left for next time.
		Instant cutOff = Instant.ofEpochMilli(this.clock.millis());
		long retried = 0;
		while (true) {
			List<FailedJob> batch = failed(queue).stream().filter((job) -> !job.failedAt().isAfter(cutOff)).toList();
			long before = retried;
			for (FailedJob job : batch) {
				retried += retryFailed(job.id()) ? 1 : 0;
			}
			if (retried == before) {
				return retried;
			}
		}
	}

	/**
	 * A job as the inspection methods show it, its arguments masked as
	 * {@link TaskRegistry#mask} says.
	 */
	private JobInfo info(JobRecord job, JobInfo.State state, @Nullable Instant dueAt, @Nullable String lease) {
		String node = null;
		Instant startedAt = null;
		if (lease != null) {
			String[] parts = lease.split("\\|");
			node = parts[0];
			startedAt = Instant.ofEpochMilli(Long.parseLong(parts[2]));
		}
		return new JobInfo(job.id(), job.task(), job.queue(), this.registry.mask(job.task(), job.args()),
				Instant.ofEpochMilli(job.enqueuedAt()), state, dueAt, node, startedAt);
	}

}
