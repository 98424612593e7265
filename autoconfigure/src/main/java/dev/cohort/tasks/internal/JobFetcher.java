package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import dev.cohort.internal.RateLimitedLog;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes jobs for the {@link JobRunner}, on one thread ({@code cohort-task-fetcher}): as
 * many as there are free processors, from the configured queues in order ({@code *}:
 * every known queue, by name), with one claim per queue. When every queue gave fewer jobs
 * than asked (and told, in the same step, how long until it may have more), it blocks on
 * the store's wake-ups ({@link TaskStore.WorkWaiter}) until a job is due, a wake-up
 * comes, or at most {@link #MAX_IDLE_WAIT}, in case a wake-up was lost. When no processor
 * is free it waits for one. A failed claim is logged, and tried again a second later on a
 * new waiter connection.
 * <p>
 * It logs with the {@link TaskWorker}'s logger, as the worker always did.
 */
final class JobFetcher implements ProcessorRelay {

	/** The longest a fetcher blocks before it looks again, should a wake-up be lost. */
	private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(5);

	/**
	 * How often a busy fetcher of every queue ({@code *}) looks for new queues; an idle
	 * one looks whenever a wait brought it nothing.
	 */
	private static final Duration RESOLVE_EVERY = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final WorkerSettings settings;

	private final JobRunner runner;

	private final Semaphore freeProcessors;

	private volatile boolean active;

	private @Nullable Thread thread;

	private volatile TaskStore.@Nullable WorkWaiter waiter;

	private volatile List<String> resolvedQueues = List.of();

	/** When the queues were resolved, {@link System#nanoTime()}. */
	private long resolvedAt;

	/** Whether the fetcher waits for jobs, its queues empty. */
	private volatile boolean waiting;

	/** Whether the queues are resolved again before the next claims. */
	private boolean resolveAgain;

	JobFetcher(TaskStore store, WorkerSettings settings, JobRunner runner) {
		this.store = store;
		this.settings = settings;
		this.runner = runner;
		this.freeProcessors = runner.freeProcessors();
	}

	/** Opens the waiter connection and starts the fetcher thread. */
	synchronized void start() {
		this.active = true;
		this.waiter = this.store.waiter();
		Thread thread = TaskWorker.threads("cohort-task-fetcher").newThread(this::fetch);
		this.thread = thread;
		thread.start();
	}

	/**
	 * Makes the fetcher take no more jobs and end: not with an interrupt, which could cut
	 * it off between a claim that ran in Redis and the start of the jobs it took. Closing
	 * the waiter ends a wait, and a spare processor ends a wait for one. Waits up to 10
	 * seconds for the thread to end.
	 */
	void stop() {
		Thread thread;
		synchronized (this) {
			this.active = false;
			thread = this.thread;
		}
		closeWaiter();
		this.freeProcessors.release();
		if (thread != null) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
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
		if (this.resolvedQueues.isEmpty() || this.resolveAgain
				|| System.nanoTime() - this.resolvedAt > RESOLVE_EVERY.toNanos()) {
			this.resolvedQueues = resolveQueues();
			this.resolvedAt = System.nanoTime();
			this.resolveAgain = false;
		}
		int taken = 0;
		long wait = MAX_IDLE_WAIT.toMillis();
		for (String queue : this.resolvedQueues) {
			if (taken >= free || !this.active) {
				// A queue may have more jobs: look again at once.
				return;
			}
			int asked = free - taken;
			long sent = System.nanoTime();
			TaskStore.Claimed claimed = this.store.claimOrWait(queue, this.settings.nodeId(), asked,
					this.settings.lease(), this.settings.maxStalls(), this.settings.lockWait());
			start(claimed.jobs(), sent);
			taken += claimed.jobs().size();
			if (claimed.jobs().size() == asked) {
				// The queue may have more jobs: look again at once.
				return;
			}
			if (claimed.nextWakeMillis() >= 0) {
				wait = Math.min(wait, claimed.nextWakeMillis());
			}
		}
		// Every queue gave fewer jobs than asked: wait for more, with the processors
		// left.
		if (wait > 0 && this.active) {
			awaitJobs(free - taken, wait);
		}
	}

	private void awaitJobs(int free, long waitMillis) throws InterruptedException {
		TaskStore.WorkWaiter current = this.waiter;
		if (current == null) {
			// No connection to wait on (opening it failed): wait a little, try again.
			pause(Duration.ofSeconds(1));
			reopenWaiter();
			return;
		}
		if (this.resolvedQueues.isEmpty()) {
			current.await(awaitedQueues(), Duration.ofMillis(waitMillis));
			this.resolveAgain = true;
			return;
		}
		TaskStore.Claimed last;
		this.waiting = true;
		try {
			// The first queue's claim goes with the wait: the store may run it as the
			// wait ends, without a round trip to this node in between, and wait again
			// from there while the queue stays empty.
			last = this.store.awaitThenClaim(current, awaitedQueues(), this.resolvedQueues.get(0),
					awaitedClaim(free, waitMillis), this::startAfterWait, new WaitAgain(free));
		}
		finally {
			this.waiting = false;
		}
		if (last.jobs().isEmpty()) {
			// Woken for another queue, perhaps a new one, or the wait ran out.
			this.resolveAgain = true;
		}
	}

	private TaskStore.AwaitedClaim awaitedClaim(int free, long waitMillis) {
		return new TaskStore.AwaitedClaim(Duration.ofMillis(waitMillis), claimRequest(free));
	}

	/** A claim of up to so many jobs, with this worker's settings. */
	private TaskStore.ClaimRequest claimRequest(int max) {
		return new TaskStore.ClaimRequest(this.settings.nodeId(), max, this.settings.lease(), this.settings.maxStalls(),
				this.settings.lockWait());
	}

	/**
	 * Whether a wait goes on after its claim: only while the claim took some jobs but not
	 * as many as asked from the fetcher's only queue, which it found empty again. Then
	 * the next wait needs no claim of its own first, which would compete with the ends of
	 * the jobs just started. It runs where the store's answer came, and does not wait.
	 */
	private final class WaitAgain implements Function<TaskStore.Claimed, TaskStore.@Nullable AwaitedClaim> {

		private int left;

		WaitAgain(int free) {
			this.left = free;
		}

		@Override
		public TaskStore.@Nullable AwaitedClaim apply(TaskStore.Claimed claimed) {
			int taken = claimed.jobs().size();
			if (taken == 0 || taken == this.left || !JobFetcher.this.active
					|| JobFetcher.this.resolvedQueues.size() != 1 || claimed.nextWakeMillis() == 0) {
				return null;
			}
			this.left -= taken;
			long wait = (claimed.nextWakeMillis() > 0) ? Math.min(claimed.nextWakeMillis(), MAX_IDLE_WAIT.toMillis())
					: MAX_IDLE_WAIT.toMillis();
			return awaitedClaim(this.left, wait);
		}

	}

	/**
	 * Jobs that ended take the next ones from their queue only if it is this worker's
	 * first queue, from which the fetcher would take them now, and not once it stops.
	 */
	@Override
	public TaskStore.@Nullable ClaimRequest claimAfter(String queue, int ended) {
		List<String> queues = this.resolvedQueues;
		// A fetcher that waits found the queues empty; it takes the next job itself.
		if (!this.active || this.waiting || queues.isEmpty() || !queues.get(0).equals(queue)) {
			return null;
		}
		return claimRequest(ended);
	}

	@Override
	public void handOn(int processors, List<ClaimedJob> taken, long sentNanos) {
		for (ClaimedJob job : taken) {
			// Each on a processor an ended job held: none is reserved again.
			this.runner.start(job, sentNanos);
		}
		this.freeProcessors.release(processors - taken.size());
	}

	/**
	 * Starts jobs taken, each on a processor reserved for it; it does not wait, since the
	 * fetcher took no more jobs than processors were free.
	 */
	private void start(List<ClaimedJob> jobs, long sentNanos) {
		for (ClaimedJob job : jobs) {
			// Not interruptible: a job taken must start, even while the node stops; the
			// processors run jobs until the fetcher has ended.
			this.freeProcessors.acquireUninterruptibly();
			this.runner.start(job, sentNanos);
		}
	}

	/**
	 * Starts jobs taken by a claim that followed a wait in the same request: it ran in
	 * the store as the wait ended, at a time this node cannot know, so their leases are
	 * measured from when the answer arrived, a network delay after the store began them.
	 */
	private void startAfterWait(List<ClaimedJob> jobs) {
		start(jobs, System.nanoTime());
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

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
