package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobArgumentsException;
import dev.cohort.tasks.JobDoneEvent;
import dev.cohort.tasks.JobFailedEvent;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.JobStartedEvent;
import dev.cohort.tasks.JobStoppedException;
import dev.cohort.tasks.Settlement;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRefusedException;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.UnknownTaskException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the jobs a {@link JobFetcher} took: each on a processor thread
 * ({@code cohort-task-N}, from the minimum to as many as load needs), its handler called
 * with its arguments read from JSON, a timeout armed on the timer thread
 * ({@code cohort-task-timer-N}) so that a renewal waiting on the store never delays it.
 * The free processors (a semaphore of the maximum) bound how many jobs run at once; the
 * fetcher takes no more jobs than are free. A run that throws, or that a stop signal
 * interrupted (cancel, timeout, lost lease, hand-back), is settled by the
 * {@link JobSettler}; every run ends with the {@code cohort.tasks.runs} metric.
 */
final class JobRunner {

	private static final Log logger = LogFactory.getLog(JobRunner.class);

	private final TaskRegistry registry;

	private final JsonMapper mapper;

	private final ClusterMetrics metrics;

	private final JobSettler settler;

	private final WorkerSettings settings;

	private final JobEvents events;

	private final TaskMiddlewareChain middleware;

	private final Semaphore freeProcessors;

	private final Map<String, RunningJob> running = new ConcurrentHashMap<>();

	private @Nullable ThreadPoolExecutor processors;

	private @Nullable ScheduledExecutorService timers;

	JobRunner(TaskRegistry registry, JsonMapper mapper, ClusterMetrics metrics, JobSettler settler,
			WorkerSettings settings, JobEvents events, TaskMiddlewareChain middleware) {
		this.registry = registry;
		this.middleware = middleware;
		this.events = events;
		this.mapper = mapper;
		this.metrics = metrics;
		this.settler = settler;
		this.settings = settings;
		this.freeProcessors = new Semaphore(settings.maxProcessors());
	}

	/** Makes the processor pool and the timer thread. */
	void start() {
		// The free processors (a semaphore) bound how many jobs run; the pool itself is
		// not
		// bounded, since a thread releases its processor a moment before it can take
		// another job, and a bounded pool would then refuse one.
		this.processors = new ThreadPoolExecutor(this.settings.minProcessors(), Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
				new SynchronousQueue<>(), TaskWorker.threads("cohort-task-"));
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
				TaskWorker.threads("cohort-task-timer-"));
		timers.setRemoveOnCancelPolicy(true);
		this.timers = timers;
	}

	/** The free processors: the fetcher reserves one per job it starts. */
	Semaphore freeProcessors() {
		return this.freeProcessors;
	}

	/** The processor pool, made by {@link #start()}, or {@code null} before. */
	@Nullable ThreadPoolExecutor processors() {
		return this.processors;
	}

	/**
	 * Starts a job taken, on a processor reserved for it. Should the pool refuse it, the
	 * processor is freed and the job handed back.
	 * @param job the job
	 * @param claimSentNanos when the claim that took it was sent, on
	 * {@link System#nanoTime()}: its lease counts from then
	 */
	void start(ClaimedJob job, long claimSentNanos) {
		RunningJob runningJob = new RunningJob(job, claimSentNanos, this.settings.lease());
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
			this.settler.handBackUnstarted(job);
		}
	}

	/**
	 * Publishes the event of a run whose end the store recorded: done, or failed for
	 * good.
	 */
	private void ended(ClaimedJob claimed, JobSettler.Outcome outcome, String node, long nanos) {
		JobRecord record = claimed.job();
		if (outcome == JobSettler.Outcome.SKIPPED) {
			return;
		}
		if (outcome.settlement() == Settlement.DONE) {
			this.events.publish(new JobDoneEvent(record.id(), record.task(), record.queue(), claimed.attempt(), node,
					Duration.ofNanos(nanos)));
		}
		else if (outcome.settlement() == Settlement.FAIL) {
			this.events.publish(new JobFailedEvent(record.id(), record.task(), record.queue(), claimed.attempt(), node,
					Objects.requireNonNullElse(outcome.reason(), "error"), outcome.error()));
		}
	}

	private void run(RunningJob job) {
		job.begin();
		ClaimedJob claimed = job.claimed;
		TaskDefinition task = this.registry.get(claimed.job().task());
		long started = System.nanoTime();
		ScheduledFuture<?> timeout = null;
		JobSettler.Outcome outcome = JobSettler.Outcome.DONE;
		JobRecord record = claimed.job();
		String node = this.settings.nodeId();
		this.events.publish(new JobStartedEvent(record.id(), record.task(), record.queue(), claimed.attempt(), node));
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
			this.middleware.run(job, arguments, () -> task.handler().run(arguments, job));
			if (job.stopReason != null && !job.stopReason.equals(RunningJob.HANDED_BACK)) {
				throw new JobStoppedException(job.stopReason);
			}
		}
		catch (Throwable ex) {
			outcome = (ex instanceof TaskRefusedException refused && refused.isSkip() && job.stopReason == null)
					? skipped(claimed, refused) : this.settler.failed(job, task, ex);
		}
		finally {
			if (timeout != null) {
				timeout.cancel(false);
			}
			// No stop may interrupt this thread from now on: clear a late one.
			job.end();
			Thread.interrupted();
			this.running.remove(claimed.job().id(), job);
			JobSettler.Outcome ended = outcome;
			// The processor stays taken until the end is recorded (the worker never holds
			// more jobs than max-processors); the settler then hands it on to a job taken
			// in the same step, or frees it.
			this.settler.settle(job, ended, (recorded) -> {
				long took = System.nanoTime() - started;
				this.metrics.taskRun(record.task(), switch (recorded) {
					case RECORDED -> (ended == JobSettler.Outcome.SKIPPED) ? "skipped"
							: ended.settlement().name().toLowerCase(Locale.ROOT);
					case REFUSED -> "lease_lost";
					case NOT_ANSWERED -> "unrecorded";
				}, took);
				if (recorded == JobSettler.Recorded.RECORDED) {
					ended(claimed, ended, node, took);
				}
			});
		}
	}

	/**
	 * A run a middleware skipped: it ends as done, without running.
	 */
	private static JobSettler.Outcome skipped(ClaimedJob claimed, TaskRefusedException refusal) {
		if (logger.isDebugEnabled()) {
			logger.debug("Job " + claimed.job().id() + " of task '" + claimed.job().task()
					+ "' was skipped by task middleware: " + refusal.getMessage());
		}
		return JobSettler.Outcome.SKIPPED;
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

	/** The runs in progress, for the lease renewer and the hand-back. */
	Collection<RunningJob> running() {
		return this.running.values();
	}

	/** Whether this run is still the job's current run here (not ended, not replaced). */
	boolean isCurrent(String jobId, RunningJob job) {
		return this.running.get(jobId) == job;
	}

	int count() {
		return this.running.size();
	}

	boolean cancel(String jobId) {
		RunningJob job = this.running.get(jobId);
		if (job != null) {
			job.stop(RunningJob.CANCELLED);
		}
		return job != null;
	}

	Map<String, ClaimedJob> runningJobs() {
		Map<String, ClaimedJob> jobs = new HashMap<>();
		this.running.forEach((id, job) -> jobs.put(id, job.claimed));
		return jobs;
	}

	/** Ends the timer thread: armed timeouts no longer fire. */
	void stopTimers() {
		ScheduledExecutorService timers = this.timers;
		if (timers != null) {
			timers.shutdownNow();
		}
	}

}
