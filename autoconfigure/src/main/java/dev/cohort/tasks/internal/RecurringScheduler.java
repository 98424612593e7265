package dev.cohort.tasks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.internal.RateLimitedLog;
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
 * the scheduler's leadership in the task store (a lease, extended while it lives, with a
 * fencing token for each taking) leads, and the others try to take over every third of
 * the lease, so a new leader leads within about a lease and a third of the old one dying.
 * A leader stops scheduling as soon as its own clock says its lease lapsed, even before
 * the store tells it another leads.
 * <p>
 * Periods are fixed (multiples of the frequency since the epoch, or the cron's fire
 * times), and a period is enqueued only if no later or equal one was, whichever queue it
 * went to: the store keeps a mark per task, moved to a period before its run is enqueued
 * and marked enqueued after, so that two leaders for a moment (even with the task on two
 * queues during a deployment), a restart, or a leader that died half-way, do not double
 * or lose a run. A new leader enqueues the periods that passed while nobody led, up to
 * {@code maxCatchUp} per task, so none is skipped.
 * <p>
 * Every scheduler, leader or not, remembers the latest mark it saw of each task. When the
 * store has no mark, or an older one, than a scheduler saw (Redis restarted without its
 * data, or failed over and lost the last writes), the periods up to now may have run
 * already: the leader marks them done without running them, and goes on with the next
 * one. No period runs twice; the periods that came due between the last mark this node
 * saw and now are skipped.
 */
public class RecurringScheduler implements SmartLifecycle {

	/** The most cron fire times walked to find the last one that started. */
	private static final int MAX_CRON_STEPS = 100_000;

	private static final Log logger = LogFactory.getLog(RecurringScheduler.class);

	/** Every tick fails while Redis is down: one line per 10 s says so. */
	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final TaskRegistry registry;

	private final String nodeId;

	/**
	 * This scheduler's secret, shown to the store to extend or give up its leadership.
	 */
	private final String token = TaskStore.Lease.newId();

	private final ClusterClock clock;

	private final Duration lease;

	private final int maxCatchUp;

	private final Map<String, Long> cronBaselines = new ConcurrentHashMap<>();

	/** The latest period start of each task's mark this node saw. */
	private final Map<String, Long> seen = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private volatile boolean active;

	/** The fencing token of this node's leadership, or 0 if it does not lead. */
	private volatile long fencingToken;

	/** When this node's lease lapses unless extended, on {@link System#nanoTime()}. */
	private volatile long leadsUntilNanos;

	private @Nullable Thread thread;

	public RecurringScheduler(TaskStore store, TaskRegistry registry, String nodeId, ClusterClock clock, Duration lease,
			int maxCatchUp) {
		this.store = store;
		this.registry = registry;
		this.nodeId = nodeId;
		this.clock = clock;
		this.lease = lease;
		this.maxCatchUp = maxCatchUp;
	}

	/**
	 * Whether this node leads the scheduling now: it holds the leadership, and its own
	 * clock says its lease has not lapsed.
	 * @return whether it leads
	 */
	public boolean isLeader() {
		return this.fencingToken != 0 && System.nanoTime() - this.leadsUntilNanos < 0;
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
				// Without recurring tasks there is nothing to lead, and no leadership to
				// show.
				boolean recurring = this.registry.all().stream().anyMatch(TaskDefinition::isRecurring);
				if (recurring && holdLeadership()) {
					wait = Math.min(wait, scheduleDueRuns());
				}
				else if (recurring) {
					watchMarks();
				}
			}
			catch (RuntimeException ex) {
				this.rateLimited.warn("run", "The task scheduler could not run; it tries again shortly: " + ex);
			}
			sleep(Math.max(1, wait));
		}
	}

	private boolean holdLeadership() {
		long asked = System.nanoTime();
		long held = this.fencingToken;
		long fence = this.store.lead(this.nodeId, this.token, this.lease);
		if (fence == 0) {
			this.fencingToken = 0;
			if (held != 0) {
				logger.warn("This node lost the task scheduler's leadership");
			}
			return false;
		}
		this.leadsUntilNanos = asked + this.lease.toNanos();
		this.fencingToken = fence;
		if (held == 0) {
			logger.info("This node now leads the task scheduler (fencing token " + fence + ")");
		}
		else if (held != fence) {
			logger.warn("This node leads the task scheduler again (fencing token " + fence + " after " + held
					+ "): its lease had lapsed, or Redis lost it");
		}
		return true;
	}

	/**
	 * Remembers the marks, while another node leads, so that this one knows what the
	 * store held if it leads after the store lost them.
	 */
	private void watchMarks() {
		for (TaskDefinition task : this.registry.all()) {
			if (task.isRecurring()) {
				see(task, this.store.lastPeriod(task.name(), task.queue()));
			}
		}
	}

	private void see(TaskDefinition task, TaskStore.@Nullable RecurringPeriod mark) {
		if (mark != null) {
			this.seen.merge(task.name(), mark.start(), Math::max);
		}
	}

	/**
	 * Enqueues the periods that are due, and says how long until the next one.
	 */
	private long scheduleDueRuns() {
		long now = this.clock.millis();
		long next = Long.MAX_VALUE;
		Set<String> paused = this.store.pausedRecurring();
		for (TaskDefinition task : this.registry.all()) {
			if (!isLeader()) {
				// Paused past its lease: another node may lead by now.
				return 1;
			}
			if (task.isRecurring()) {
				next = Math.min(next, paused.contains(task.name()) ? skipWhilePaused(task, now) : schedule(task, now));
			}
		}
		return (next == Long.MAX_VALUE) ? Long.MAX_VALUE : Math.max(1, next - now);
	}

	private long schedule(TaskDefinition task, long now) {
		TaskStore.RecurringPeriod mark = unlessLost(task, this.store.lastPeriod(task.name(), task.queue()), now);
		see(task, mark);
		if (mark != null && !mark.enqueued()) {
			// A leader began this period and did not finish it.
			enqueue(task, mark, now);
		}
		Long last = (mark != null) ? mark.start() : null;
		Deque<Long> due = new ArrayDeque<>();
		long period = skipBeyondCatchUp(task, (last != null) ? next(task, last) : first(task, now), now);
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
			see(task, begun);
			if (begun.start() == start && !begun.enqueued()) {
				enqueue(task, begun, now);
			}
		}
		return period;
	}

	/**
	 * For a fixed rate, the first period worth walking: periods older than the last
	 * {@code maxCatchUp} would be dropped anyway, and a task missed for a year must not
	 * make the leader walk a year of periods. A cron's fire times are walked.
	 */
	private long skipBeyondCatchUp(TaskDefinition task, long period, long now) {
		Duration frequency = task.frequency();
		if (frequency == null || period > now) {
			return period;
		}
		long length = frequency.toMillis();
		long earliestKept = Math.floorDiv(now, length) * length - Math.max(0, this.maxCatchUp - 1) * length;
		return Math.max(period, earliestKept);
	}

	/**
	 * Moves a paused task's mark past the periods that started, as done, without
	 * enqueueing them, so that they are skipped rather than caught up once it is resumed
	 * (a period begun before the pause is ended too). Says when the next period starts.
	 */
	private long skipWhilePaused(TaskDefinition task, long now) {
		TaskStore.RecurringPeriod mark = unlessLost(task, this.store.lastPeriod(task.name(), task.queue()), now);
		see(task, mark);
		long period = (mark != null) ? next(task, mark.start()) : first(task, now);
		if (period > now) {
			if (mark != null && !mark.enqueued()) {
				this.store.endPeriod(task.name(), mark.start(), mark.queue());
			}
			return period;
		}
		long skipped = lastStarted(task, period, now);
		see(task, markSkipped(task, skipped));
		if (logger.isDebugEnabled()) {
			logger.debug("Recurring task '" + task.name() + "' is paused: its periods up to "
					+ Instant.ofEpochMilli(skipped) + " are skipped");
		}
		return next(task, skipped);
	}

	/**
	 * The task's mark, or, if the store lost it (it has none, or an older one, than this
	 * node saw), a mark that says the periods up to now ran: any of them may have, before
	 * the loss.
	 */
	private TaskStore.@Nullable RecurringPeriod unlessLost(TaskDefinition task,
			TaskStore.@Nullable RecurringPeriod mark, long now) {
		Long seen = this.seen.get(task.name());
		if (seen == null || (mark != null && mark.start() >= seen)) {
			return mark;
		}
		long skipped = lastStarted(task, seen, now);
		logger.warn("The task store lost the mark of recurring task '" + task.name() + "' (this node saw period "
				+ Instant.ofEpochMilli(seen) + ", the store has "
				+ ((mark != null) ? "period " + Instant.ofEpochMilli(mark.start()) : "none")
				+ "): Redis restarted without its data, or failed over and lost writes. The periods up to "
				+ Instant.ofEpochMilli(skipped) + " may have run already and are not run again; the next run is for "
				+ Instant.ofEpochMilli(next(task, skipped)));
		return markSkipped(task, skipped);
	}

	/**
	 * Moves a task's mark to a period, marked enqueued, without enqueueing its run:
	 * unless the mark is at that period or a later one already, which is then returned.
	 */
	private TaskStore.RecurringPeriod markSkipped(TaskDefinition task, long start) {
		TaskStore.RecurringPeriod begun = this.store.beginPeriod(task.name(), start, task.queue());
		if (begun.start() != start) {
			return begun;
		}
		if (!begun.enqueued()) {
			this.store.endPeriod(task.name(), start, begun.queue());
		}
		return new TaskStore.RecurringPeriod(start, begun.queue(), true);
	}

	/**
	 * The start of the last period that started by now, and at least {@code seen}.
	 */
	private static long lastStarted(TaskDefinition task, long seen, long now) {
		Duration frequency = task.frequency();
		if (frequency != null) {
			long length = frequency.toMillis();
			return Math.max(seen, Math.floorDiv(now, length) * length);
		}
		long period = seen;
		for (int i = 0; i < MAX_CRON_STEPS; i++) {
			long following = next(task, period);
			if (following > now) {
				break;
			}
			period = following;
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
		long held = this.fencingToken;
		this.fencingToken = 0;
		if (held != 0) {
			try {
				this.store.resign(this.token);
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
