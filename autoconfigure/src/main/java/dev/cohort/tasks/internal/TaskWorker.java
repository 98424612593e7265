package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.tasks.WorkerStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
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
 * <p>
 * This class only wires the parts and runs their lifecycle: {@link JobFetcher} takes
 * jobs, {@link JobRunner} runs them, {@link LeaseRenewer} keeps their leases,
 * {@link JobSettler} records how they ended and {@link WorkerShutdown} stops it all in
 * order. They all log with this class's logger.
 */
public class TaskWorker implements SmartLifecycle, WorkerStatus {

	/** Lifecycle phase: after membership, so that it stops first. */
	static final int PHASE = ClusterMembership.PHASE + 1;

	/** The bus message that cancels a running job. */
	static final String CANCEL = ClusterBus.INTERNAL_PREFIX + "tasks.cancel";

	private final ClusterBus bus;

	private final WorkerSettings settings;

	private final JobRunner runner;

	private final LeaseRenewer renewer;

	private final JobFetcher fetcher;

	private final WorkerShutdown shutdown;

	private volatile boolean active;

	private ClusterBus.@Nullable Registration cancellations;

	public TaskWorker(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterBus bus, ClusterMetrics metrics,
			WorkerSettings settings, LongSupplier clock) {
		this(store, registry, mapper, bus, metrics, settings, clock, (event) -> {
		});
	}

	/**
	 * Creates a worker that publishes its job events
	 * ({@link dev.cohort.tasks.JobStartedEvent}, {@link dev.cohort.tasks.JobDoneEvent},
	 * {@link dev.cohort.tasks.JobFailedEvent}, {@link dev.cohort.tasks.JobStalledEvent}).
	 * @param store the task store
	 * @param registry the tasks
	 * @param mapper maps arguments
	 * @param bus carries cancellations
	 * @param metrics times runs and counts stalls
	 * @param settings how it drains the queues
	 * @param clock the cluster clock, in ms
	 * @param events publishes the job events
	 */
	public TaskWorker(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterBus bus, ClusterMetrics metrics,
			WorkerSettings settings, LongSupplier clock, ApplicationEventPublisher events) {
		this(store, registry, mapper, bus, metrics, settings, clock, events, TaskMiddlewareChain.NONE);
	}

	/**
	 * Creates a worker that publishes its job events and runs each job through the
	 * application's task middleware.
	 * @param store the task store
	 * @param registry the tasks
	 * @param mapper maps arguments
	 * @param bus carries cancellations
	 * @param metrics times runs and counts stalls
	 * @param settings how it drains the queues
	 * @param clock the cluster clock, in ms
	 * @param events publishes the job events
	 * @param middleware the task middleware
	 */
	public TaskWorker(TaskStore store, TaskRegistry registry, JsonMapper mapper, ClusterBus bus, ClusterMetrics metrics,
			WorkerSettings settings, LongSupplier clock, ApplicationEventPublisher events,
			TaskMiddlewareChain middleware) {
		JobEvents jobEvents = new JobEvents(events);
		this.bus = bus;
		this.settings = settings;
		JobSettler settler = new JobSettler(store, settings.nodeId(), clock, registry);
		this.runner = new JobRunner(registry, mapper, metrics, settler, settings, jobEvents, middleware);
		this.renewer = new LeaseRenewer(store, this.runner, settings.lease());
		this.fetcher = new JobFetcher(store, settings, this.runner);
		settler.relayTo(this.fetcher);
		this.shutdown = new WorkerShutdown(this.fetcher, this.runner, settler, this.renewer,
				settings.shutdownTimeout());
		store.onStall(new StallReporter(metrics, settings.maxStalls(), jobEvents));
	}

	@Override
	public synchronized void start() {
		if (this.active) {
			return;
		}
		this.active = true;
		this.runner.start();
		this.renewer.start();
		this.cancellations = this.bus.subscribeInline(CANCEL, (envelope) -> cancelRunning(envelope.body()));
		this.fetcher.start();
	}

	/** A factory of daemon threads named with the prefix and a number. */
	static CustomizableThreadFactory threads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * How long ago this worker last renewed the leases of its running jobs without an
	 * error.
	 * @return the time since, or {@code null} if it has renewed none yet
	 */
	@Override
	public @Nullable Duration sinceLastRenewal() {
		return this.renewer.sinceLastRenewal();
	}

	/**
	 * How many lease renewal rounds in a row failed (every third of a lease, while jobs
	 * run); 0 once one succeeds.
	 * @return the count
	 */
	@Override
	public int consecutiveRenewalFailures() {
		return this.renewer.consecutiveRenewalFailures();
	}

	/**
	 * How many jobs this worker runs now.
	 * @return the count
	 */
	@Override
	public int runningJobCount() {
		return this.runner.count();
	}

	/**
	 * Interrupts a job running on this node.
	 * @param jobId the job
	 * @return whether it was running here
	 */
	boolean cancelRunning(String jobId) {
		return this.runner.cancel(jobId);
	}

	/**
	 * The jobs this node runs now.
	 * @return job id to the job
	 */
	Map<String, ClaimedJob> runningJobs() {
		return this.runner.runningJobs();
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
		ClusterBus.Registration cancellations;
		synchronized (this) {
			if (!this.active) {
				return;
			}
			this.active = false;
			cancellations = this.cancellations;
		}
		this.shutdown.stop(cancellations);
	}

	@Override
	public boolean isRunning() {
		return this.active;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
