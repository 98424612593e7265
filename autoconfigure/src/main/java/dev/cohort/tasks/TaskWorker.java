package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Drains the task queues on a worker node. One fetcher thread takes jobs, as many as
 * there are free processors, from the configured queues in order, and blocks on the store
 * when there are none; processors (threads, from a minimum to a maximum with load) run
 * them. Every running job holds a lease renewed every third of its length, on a thread of
 * its own; a job whose lease is lost, that times out (on another thread, so that a
 * renewal waiting on the store never delays a timeout) or is cancelled is interrupted.
 * <p>
 * Stopping takes no new jobs, lets running jobs finish for up to the shutdown timeout,
 * then interrupts the rest and hands them back to the front of their queue.
 */
public class TaskWorker implements SmartLifecycle {

	/** Lifecycle phase: after membership, so that it stops first. */
	public static final int PHASE = ClusterMembership.PHASE + 1;

	/** The bus message that cancels a running job. */
	static final String CANCEL = ClusterBus.INTERNAL_PREFIX + "tasks.cancel";

	/** The longest a fetcher blocks before it looks again, should a wake-up be lost. */
	private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final TaskRegistry registry;

	private final JsonMapper mapper;

	private final ClusterBus bus;

	private final ClusterMetrics metrics;

	private final WorkerSettings settings;

	private final LongSupplier clock;

	private final JobFailures failures = new JobFailures();

	private final Semaphore freeProcessors;

	private final Map<String, RunningJob> running = new ConcurrentHashMap<>();

	private volatile boolean active;

	private @Nullable ThreadPoolExecutor processors;

	private @Nullable ScheduledExecutorService timers;

	private @Nullable ScheduledExecutorService renewals;

	private @Nullable Thread fetcher;

	private volatile TaskStore.@Nullable WorkWaiter waiter;

	private ClusterBus.@Nullable Registration cancellations;

	private volatile List<String> resolvedQueues = List.of();

	/** When leases were last renewed without an error, on {@link System#nanoTime()}. */
	private volatile long lastRenewalNanos;

	private volatile boolean renewed;

	/** Renewal rounds in a row that failed for at least one queue. */
	private volatile int renewalFailures;

	public TaskWorker(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterBus bus, ClusterMetrics metrics,
			WorkerSettings settings, LongSupplier clock) {
		this.clock = clock;
		this.store = store;
		this.registry = registry;
		this.mapper = mapper;
		this.bus = bus;
		this.metrics = metrics;
		this.settings = settings;
		this.freeProcessors = new Semaphore(settings.maxProcessors());
	}

	@Override
	public synchronized void start() {
		if (this.active) {
			return;
		}
		this.active = true;
		// The free processors (a semaphore) bound how many jobs run; the pool itself is
		// not
		// bounded, since a thread releases its processor a moment before it can take
		// another job, and a bounded pool would then refuse one.
		this.processors = new ThreadPoolExecutor(this.settings.minProcessors(), Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
				new SynchronousQueue<>(), threads("cohort-task-"));
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, threads("cohort-task-timer-"));
		timers.setRemoveOnCancelPolicy(true);
		this.timers = timers;
		ScheduledThreadPoolExecutor renewals = new ScheduledThreadPoolExecutor(1, threads("cohort-task-renewer-"));
		this.renewals = renewals;
		long renewEvery = Math.max(1, this.settings.lease().toMillis() / 3);
		renewals.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
		this.cancellations = this.bus.subscribeInline(CANCEL, (envelope) -> cancelRunning(envelope.body()));
		this.waiter = this.store.waiter();
		Thread fetcher = threads("cohort-task-fetcher").newThread(this::fetch);
		this.fetcher = fetcher;
		fetcher.start();
	}

	private static CustomizableThreadFactory threads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	private void fetch() {
		while (this.active) {
			try {
				fetchOnce();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (!this.active) {
					return;
				}
				this.rateLimited.warn("fetch", "Could not take jobs, trying again in a second: " + ex);
				pause(Duration.ofSeconds(1));
				reopenWaiter();
			}
		}
	}

	private void fetchOnce() throws InterruptedException {
		int free = this.freeProcessors.availablePermits();
		if (free == 0) {
			this.freeProcessors.acquire();
			this.freeProcessors.release();
			return;
		}
		if (this.resolvedQueues.isEmpty()) {
			this.resolvedQueues = resolveQueues();
		}
		int taken = 0;
		for (String queue : this.resolvedQueues) {
			if (taken >= free || !this.active) {
				break;
			}
			List<ClaimedJob> jobs = this.store.claim(queue, this.settings.nodeId(), free - taken, this.settings.lease(),
					this.settings.maxStalls(), this.settings.lockWait());
			for (ClaimedJob job : jobs) {
				// Not interruptible: a job taken must start, even while the node stops;
				// the processors run jobs until the fetcher has ended.
				this.freeProcessors.acquireUninterruptibly();
				start(job);
			}
			taken += jobs.size();
		}
		if (taken == 0 && this.active) {
			this.resolvedQueues = resolveQueues();
			long wait = MAX_IDLE_WAIT.toMillis();
			for (String queue : this.resolvedQueues) {
				long next = this.store.nextWakeMillis(queue);
				if (next >= 0) {
					wait = Math.min(wait, next);
				}
			}
			TaskStore.WorkWaiter current = this.waiter;
			if (wait > 0 && current != null) {
				current.await(awaitedQueues(), Duration.ofMillis(wait));
			}
			else if (wait > 0) {
				// No connection to wait on (opening it failed): wait a little, try again.
				pause(Duration.ofSeconds(1));
				reopenWaiter();
			}
		}
	}

	/**
	 * The queues whose wake-ups end a wait: this worker's, and for {@code *} the wake-ups
	 * of new queues too.
	 */
	private List<String> awaitedQueues() {
		if (!this.settings.queues().contains(TaskStore.ANY_QUEUE)) {
			return this.resolvedQueues;
		}
		List<String> queues = new ArrayList<>(this.resolvedQueues);
		queues.add(TaskStore.ANY_QUEUE);
		return queues;
	}

	private List<String> resolveQueues() {
		List<String> queues = new ArrayList<>();
		for (String queue : this.settings.queues()) {
			if (queue.equals("*")) {
				this.store.queues().stream().sorted().filter((name) -> !queues.contains(name)).forEach(queues::add);
			}
			else if (!queues.contains(queue)) {
				queues.add(queue);
			}
		}
		return queues;
	}

	private void start(ClaimedJob job) {
		RunningJob runningJob = new RunningJob(job);
		RunningJob previous = this.running.put(job.job().id(), runningJob);
		if (previous != null) {
			// This node paused past the lease and took its own job back: the older run's
			// lease is gone.
			previous.stop(RunningJob.LEASE_LOST);
		}
		ThreadPoolExecutor processors = this.processors;
		try {
			if (processors == null) {
				// Only the fetcher starts jobs, and only once start() has made the pool.
				throw new IllegalStateException("The task worker has not started");
			}
			processors.execute(() -> run(runningJob));
		}
		catch (RuntimeException ex) {
			this.running.remove(job.job().id(), runningJob);
			this.freeProcessors.release();
			this.store.settle(job.job().queue(), job.job().id(), job.lease(), Settlement.HAND_BACK, Duration.ZERO,
					null);
		}
	}

	private void run(RunningJob job) {
		job.begin();
		ClaimedJob claimed = job.claimed;
		TaskDefinition task = this.registry.get(claimed.job().task());
		long started = System.nanoTime();
		ScheduledFuture<?> timeout = null;
		Settlement settlement = Settlement.DONE;
		Duration retryDelay = Duration.ZERO;
		String failure = null;
		try {
			if (task == null) {
				throw new UnknownTaskException(claimed.job().task());
			}
			Object arguments = arguments(task, claimed.job());
			Duration limit = task.timeout();
			if (limit != null) {
				// Made by start() with the processors that run this.
				ScheduledExecutorService timers = Objects.requireNonNull(this.timers, "timers");
				timeout = timers.schedule(() -> job.stop(RunningJob.TIMED_OUT), limit.toMillis(),
						TimeUnit.MILLISECONDS);
			}
			task.handler().run(arguments, job);
			if (job.stopReason != null && !job.stopReason.equals(RunningJob.HANDED_BACK)) {
				throw new JobStoppedException(job.stopReason);
			}
		}
		catch (Throwable ex) {
			String reason = reason(job, task, ex);
			List<String> masked = (task != null) ? task.maskedArguments() : List.of();
			if (RunningJob.HANDED_BACK.equals(job.stopReason)) {
				settlement = Settlement.HAND_BACK;
			}
			else if (task != null && (reason.equals("error") || reason.equals(RunningJob.TIMED_OUT))) {
				// Only failures use up retries, not runs whose worker died or stopped.
				if (claimed.failures() < task.retries()) {
					settlement = Settlement.RETRY;
					retryDelay = task.retryDelay(claimed.failures() + 1);
				}
				else {
					settlement = Settlement.FAIL;
				}
			}
			else {
				settlement = Settlement.FAIL;
			}
			if (settlement == Settlement.FAIL) {
				failure = this.failures.describe(claimed, reason, this.settings.nodeId(), ex, this.clock.getAsLong(),
						masked);
				if (!RunningJob.LEASE_LOST.equals(job.stopReason)) {
					this.rateLimited.warn("failed:" + claimed.job().task(),
							"Job " + claimed.job().id() + " of task '" + claimed.job().task() + "' failed for good ("
									+ reason + ", attempt " + claimed.attempt() + "): " + ex);
				}
			}
			else if (settlement == Settlement.RETRY) {
				logger.debug("Job " + claimed.job().id() + " (" + claimed.job().task() + ", attempt "
						+ claimed.attempt() + ") failed and is retried in " + retryDelay.toMillis() + " ms", ex);
			}
		}
		finally {
			if (timeout != null) {
				timeout.cancel(false);
			}
			// No stop may interrupt this thread from now on: clear a late one.
			job.end();
			Thread.interrupted();
			this.running.remove(claimed.job().id(), job);
			boolean settled = settle(job, settlement, retryDelay, failure);
			this.freeProcessors.release();
			this.metrics.taskRun(claimed.job().task(),
					settled ? settlement.name().toLowerCase(Locale.ROOT) : "lease_lost", System.nanoTime() - started);
		}
	}

	private static String reason(RunningJob job, @Nullable TaskDefinition task, Throwable ex) {
		if (task == null) {
			return "unknown-task";
		}
		if (ex instanceof JobArgumentsException) {
			return "bad-arguments";
		}
		if (job.stopReason != null) {
			return job.stopReason;
		}
		return "error";
	}

	private boolean settle(RunningJob job, Settlement settlement, Duration retryDelay, @Nullable String failure) {
		ClaimedJob claimed = job.claimed;
		try {
			boolean settled = this.store.settle(claimed.job().queue(), claimed.job().id(), claimed.lease(), settlement,
					retryDelay, failure);
			if (settled && (settlement == Settlement.RETRY || settlement == Settlement.HAND_BACK)) {
				// The job is due again: wake a fetcher that computed its wait before.
				this.store.signal(claimed.job().queue());
			}
			if (!settled) {
				logger.warn("Job " + claimed.job().id() + " (" + claimed.job().task() + ") ended after its lease "
						+ "was lost; it was taken back and runs again elsewhere, or ran already");
			}
			return settled;
		}
		catch (RuntimeException ex) {
			// The lease lapses and another worker takes the job back: at least once.
			this.rateLimited.warn("settle", "Could not record the end of job " + claimed.job().id() + ": " + ex);
			return false;
		}
	}

	private @Nullable Object arguments(TaskDefinition task, JobRecord job) throws JobArgumentsException {
		if (task.argumentType() == null || job.args() == null) {
			return null;
		}
		try {
			return this.mapper.readValue(job.args(), this.mapper.constructType(task.argumentType()));
		}
		catch (JacksonException ex) {
			throw new JobArgumentsException(job, task, ex);
		}
	}

	private void renewLeases() {
		Map<String, Map<String, RunningJob>> byQueue = new HashMap<>();
		this.running.values()
			.forEach((job) -> byQueue.computeIfAbsent(job.claimed.job().queue(), (queue) -> new HashMap<>())
				.put(job.claimed.job().id(), job));
		boolean[] failed = { false };
		byQueue.forEach((queue, jobs) -> {
			Map<String, TaskStore.Lease> leases = new HashMap<>();
			jobs.forEach((id, job) -> leases.put(id, job.claimed.lease()));
			try {
				for (String lost : this.store.renew(queue, this.settings.lease(), leases)) {
					// The answer is about the run renewed: a newer run of the job, taken
					// while the renewal waited, keeps its own lease.
					RunningJob job = jobs.get(lost);
					if (job != null && this.running.get(lost) == job) {
						logger.warn("Job " + lost + " lost its lease while it ran; it is interrupted, and runs "
								+ "again elsewhere");
						job.stop(RunningJob.LEASE_LOST);
					}
				}
			}
			catch (RuntimeException ex) {
				failed[0] = true;
				this.rateLimited.warn("renew", "Could not renew the leases of queue " + queue + ": " + ex);
			}
		});
		recordRenewal(byQueue.isEmpty(), failed[0]);
	}

	/**
	 * Records how a renewal round went, for health checks. A round with no job to renew
	 * reached no store: it neither succeeds nor fails.
	 */
	private void recordRenewal(boolean nothingToRenew, boolean failed) {
		if (failed) {
			this.renewalFailures++;
		}
		else if (!nothingToRenew) {
			this.lastRenewalNanos = System.nanoTime();
			this.renewed = true;
			this.renewalFailures = 0;
		}
	}

	/**
	 * How long ago this worker last renewed the leases of its running jobs without an
	 * error.
	 * @return the time since, or {@code null} if it has renewed none yet
	 */
	public @Nullable Duration sinceLastRenewal() {
		return this.renewed ? Duration.ofNanos(System.nanoTime() - this.lastRenewalNanos) : null;
	}

	/**
	 * How many lease renewal rounds in a row failed (every third of a lease, while jobs
	 * run); 0 once one succeeds.
	 * @return the count
	 */
	public int consecutiveRenewalFailures() {
		return this.renewalFailures;
	}

	/**
	 * How many jobs this worker runs now.
	 * @return the count
	 */
	public int runningJobCount() {
		return this.running.size();
	}

	/**
	 * Interrupts a job running on this node.
	 * @param jobId the job
	 * @return whether it was running here
	 */
	boolean cancelRunning(String jobId) {
		RunningJob job = this.running.get(jobId);
		if (job != null) {
			job.stop(RunningJob.CANCELLED);
		}
		return job != null;
	}

	/**
	 * The jobs this node runs now.
	 * @return job id to the job
	 */
	Map<String, ClaimedJob> runningJobs() {
		Map<String, ClaimedJob> jobs = new HashMap<>();
		this.running.forEach((id, job) -> jobs.put(id, job.claimed));
		return jobs;
	}

	/**
	 * The worker's settings.
	 * @return the settings
	 */
	public WorkerSettings settings() {
		return this.settings;
	}

	@Override
	public void stop() {
		Thread fetcher;
		ThreadPoolExecutor processors;
		ScheduledExecutorService renewals;
		ScheduledExecutorService timers;
		synchronized (this) {
			if (!this.active) {
				return;
			}
			this.active = false;
			fetcher = this.fetcher;
			processors = this.processors;
			renewals = this.renewals;
			timers = this.timers;
		}
		// Not an interrupt: it could cut the fetcher off between a claim that ran in
		// Redis and the start of the jobs it took. Closing the waiter ends a wait, and a
		// spare processor ends a wait for one.
		closeWaiter();
		this.freeProcessors.release();
		if (fetcher != null) {
			join(fetcher);
		}
		// All made by start(), as active says.
		if (processors != null) {
			processors.shutdown();
			if (!awaitTermination(processors, this.settings.shutdownTimeout())) {
				logger.warn("Handing back " + this.running.size() + " job(s) still running after "
						+ this.settings.shutdownTimeout().toSeconds() + "s: they run again elsewhere");
				this.running.values().forEach((job) -> job.stop(RunningJob.HANDED_BACK));
				awaitTermination(processors, Duration.ofSeconds(5));
			}
		}
		if (this.cancellations != null) {
			this.cancellations.cancel();
		}
		if (renewals != null) {
			renewals.shutdownNow();
		}
		if (timers != null) {
			timers.shutdownNow();
		}
	}

	private synchronized void closeWaiter() {
		TaskStore.WorkWaiter current = this.waiter;
		this.waiter = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the fetcher's connection", ex);
			}
		}
	}

	private synchronized void reopenWaiter() {
		if (this.active) {
			closeWaiter();
			try {
				this.waiter = this.store.waiter();
			}
			catch (RuntimeException ex) {
				this.rateLimited.warn("waiter", "Could not open the fetcher's connection: " + ex);
			}
		}
	}

	private static boolean awaitTermination(ThreadPoolExecutor processors, Duration timeout) {
		try {
			return processors.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void join(Thread thread) {
		try {
			thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * A job this node runs, and why it was told to stop, if it was.
	 */
	private static final class RunningJob implements JobContext {

		static final String CANCELLED = "cancelled";

		static final String TIMED_OUT = "timeout";

		static final String LEASE_LOST = "lease-lost";

		static final String HANDED_BACK = "handed-back";

		final ClaimedJob claimed;

		volatile @Nullable Thread thread;

		volatile @Nullable String stopReason;

		RunningJob(ClaimedJob claimed) {
			this.claimed = claimed;
		}

		synchronized void begin() {
			this.thread = Thread.currentThread();
		}

		synchronized void end() {
			this.thread = null;
		}

		synchronized void stop(String reason) {
			if (this.stopReason == null) {
				this.stopReason = reason;
				Thread current = this.thread;
				if (current != null) {
					current.interrupt();
				}
			}
		}

		@Override
		public String jobId() {
			return this.claimed.job().id();
		}

		@Override
		public String task() {
			return this.claimed.job().task();
		}

		@Override
		public String queue() {
			return this.claimed.job().queue();
		}

		@Override
		public int attempt() {
			return this.claimed.attempt();
		}

		@Override
		public long fencingToken() {
			return this.claimed.fencingToken();
		}

		@Override
		public Optional<Instant> period() {
			Long period = this.claimed.job().period();
			return (period != null) ? Optional.of(Instant.ofEpochMilli(period)) : Optional.empty();
		}

		@Override
		public boolean isCancelled() {
			return this.stopReason != null;
		}

	}

}
