package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Enqueues the runs of recurring tasks. Every worker node runs one; the one that holds
 * the scheduler lock (a {@link ClusterCache} lock with a short lease, renewed while it
 * lives) leads, and the others try to take over every third of the lease, so a new leader
 * leads within about a lease and a third of the old one dying.
 * <p>
 * Periods are fixed (multiples of the frequency since the epoch, or the cron's fire
 * times), and a period is enqueued only if no later or equal one was, whichever queue it
 * went to: the store keeps a mark per task, moved to a period before its run is enqueued
 * and marked enqueued after, so that two leaders for a moment (even with the task on two
 * queues during a deployment), a restart, or a leader that died half-way, do not double
 * or lose a run. A new leader enqueues the periods that passed while nobody led, up to
 * {@code maxCatchUp} per task, so none is skipped.
 */
public class RecurringScheduler implements SmartLifecycle {

	/** The name of the lock the leader holds. */
	static final String LEADER_LOCK = ClusterTasks.SCHEDULER_LOCK;

	private static final Log logger = LogFactory.getLog(RecurringScheduler.class);

	/** Every tick fails while Redis is down: one line per 10 s says so. */
	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final TaskRegistry registry;

	private final ClusterCache cache;

	private final ClusterClock clock;

	private final Duration lease;

	private final int maxCatchUp;

	private final Map<String, Long> cronBaselines = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private volatile boolean active;

	private volatile @Nullable ClusterLock leadership;

	private @Nullable Thread thread;

	public RecurringScheduler(TaskStore store, TaskRegistry registry, ClusterCache cache, ClusterClock clock,
			Duration lease, int maxCatchUp) {
		this.store = store;
		this.registry = registry;
		this.cache = cache;
		this.clock = clock;
		this.lease = lease;
		this.maxCatchUp = maxCatchUp;
	}

	/**
	 * Whether this node leads the scheduling now.
	 * @return whether it leads
	 */
	public boolean isLeader() {
		return this.leadership != null;
	}

	@Override
	public synchronized void start() {
		if (this.active) {
			return;
		}
		this.active = true;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cohort-task-scheduler");
		threads.setDaemon(true);
		Thread thread = threads.newThread(this::lead);
		this.thread = thread;
		thread.start();
	}

	private void lead() {
		while (this.active) {
			long wait = this.lease.toMillis() / 3;
			try {
				// Without recurring tasks there is nothing to lead, and no lock to show.
				boolean recurring = this.registry.all().stream().anyMatch(TaskDefinition::isRecurring);
				if (recurring && holdLeadership()) {
					wait = Math.min(wait, scheduleDueRuns());
				}
			}
			catch (RuntimeException ex) {
				this.rateLimited.warn("run", "The task scheduler could not run; it tries again shortly: " + ex);
			}
			sleep(Math.max(1, wait));
		}
	}

	private boolean holdLeadership() {
		ClusterLock held = this.leadership;
		if (held != null) {
			if (held.extend(this.lease)) {
				return true;
			}
			logger.warn("This node lost the task scheduler's leadership");
			this.leadership = null;
		}
		this.leadership = this.cache.tryLock(LEADER_LOCK, this.lease).orElse(null);
		if (this.leadership != null) {
			logger.info("This node now leads the task scheduler");
		}
		return this.leadership != null;
	}

	/**
	 * Enqueues the periods that are due, and says how long until the next one.
	 */
	private long scheduleDueRuns() {
		long now = this.clock.millis();
		long next = Long.MAX_VALUE;
		for (TaskDefinition task : this.registry.all()) {
			if (task.isRecurring()) {
				next = Math.min(next, schedule(task, now));
			}
		}
		return (next == Long.MAX_VALUE) ? Long.MAX_VALUE : Math.max(1, next - now);
	}

	private long schedule(TaskDefinition task, long now) {
		TaskStore.RecurringPeriod mark = this.store.lastPeriod(task.name(), task.queue());
		if (mark != null && !mark.enqueued()) {
			// A leader began this period and did not finish it.
			enqueue(task, mark, now);
		}
		Long last = (mark != null) ? mark.start() : null;
		Deque<Long> due = new ArrayDeque<>();
		long period = (last != null) ? next(task, last) : first(task, now);
		while (period <= now) {
			due.addLast(period);
			if (due.size() > this.maxCatchUp) {
				due.removeFirst();
			}
			period = next(task, period);
		}
		if (last != null && !due.isEmpty() && due.peekFirst() != next(task, last)) {
			logger.warn("Task '" + task.name() + "' missed periods while no scheduler led; only the last "
					+ this.maxCatchUp + " run");
		}
		for (long start : due) {
			TaskStore.RecurringPeriod begun = this.store.beginPeriod(task.name(), start, task.queue());
			if (begun.start() == start && !begun.enqueued()) {
				enqueue(task, begun, now);
			}
		}
		return period;
	}

	/**
	 * Enqueues the run of a begun period to the queue its mark names, which is another
	 * than the task's when another leader began it, then marks it enqueued. The queue
	 * itself refuses the period if it had it already.
	 */
	private void enqueue(TaskDefinition task, TaskStore.RecurringPeriod period, long now) {
		String queue = period.queue();
		JobRecord run = new JobRecord(JobIds.recurring(queue, task.name(), period.start()), task.name(), queue, null,
				now, null, task.jobLock() ? JobIdentity.of(task.name(), queue, null) : null, period.start());
		if (this.store.enqueueRecurring(run, period.start())) {
			this.store.signal(queue);
		}
		this.store.endPeriod(task.name(), period.start(), queue);
	}

	/**
	 * The first period a task runs for when it never ran: the current one for a
	 * frequency, the next fire time for a cron.
	 */
	private long first(TaskDefinition task, long now) {
		if (task.frequency() != null) {
			long length = task.frequency().toMillis();
			return Math.floorDiv(now, length) * length;
		}
		long baseline = this.cronBaselines.computeIfAbsent(task.name(), (name) -> now);
		return next(task, baseline);
	}

	private static long next(TaskDefinition task, long period) {
		return task.nextPeriod(period);
	}

	private void sleep(long millis) {
		synchronized (this.wakeUp) {
			if (this.active) {
				try {
					this.wakeUp.wait(Math.min(millis, this.lease.toMillis() / 3));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.active = false;
				}
			}
		}
	}

	@Override
	public void stop() {
		Thread running;
		synchronized (this) {
			if (!this.active) {
				return;
			}
			this.active = false;
			running = this.thread;
		}
		synchronized (this.wakeUp) {
			this.wakeUp.notifyAll();
		}
		if (running != null) {
			try {
				running.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		ClusterLock held = this.leadership;
		this.leadership = null;
		if (held != null) {
			try {
				held.unlock();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not release the scheduler's leadership; it expires", ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

	@Override
	public int getPhase() {
		return TaskWorker.PHASE;
	}

}
