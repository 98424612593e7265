package dev.cohort.tasks.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.cohort.internal.RateLimitedLog;
import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobArgumentsException;
import dev.cohort.tasks.Settlement;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRefusedException;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Settles the jobs a {@link TaskWorker} ran: decides from how a run ended whether the job
 * is done, retried (an error or a timeout with retries left), failed for good or handed
 * back, and records that in the {@link TaskStore} under the run's lease. A settlement the
 * store refuses (the lease was taken back) or cannot record (Redis did not answer) leaves
 * the job to be taken back and run again elsewhere: at least once.
 * <p>
 * It logs with the {@link TaskWorker}'s logger, as the worker always did.
 */
final class JobSettler {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final TaskStore store;

	private final String nodeId;

	/** Says which argument properties a failure record hides. */
	private final TaskRegistry registry;

	private final LongSupplier clock;

	private final JobFailures failures = new JobFailures();

	/**
	 * Wakes fetchers after a retry or hand-back, off the thread that got the answer: one
	 * thread, made when needed and ended after a minute idle.
	 */
	private final ThreadPoolExecutor afterAnswers = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(), TaskWorker.threads("cohort-task-settler-"));

	/**
	 * The next batch is sent from the thread that got the last answer: for Redis, the
	 * connection's own event loop, which writes it with no thread switch; sending never
	 * waits.
	 */
	private final SettleBatches<Ended> batches = new SettleBatches<>(this::record, Runnable::run);

	private volatile ProcessorRelay relay = new ProcessorRelay() {

		@Override
		public TaskStore.@Nullable ClaimRequest claimAfter(String queue, int ended) {
			return null;
		}

		@Override
		public void handOn(int processors, List<ClaimedJob> taken, long sentNanos) {
		}

	};

	JobSettler(TaskStore store, String nodeId, LongSupplier clock, TaskRegistry registry) {
		this.afterAnswers.allowCoreThreadTimeOut(true);
		this.store = store;
		this.registry = registry;
		this.nodeId = nodeId;
		this.clock = clock;
	}

	/**
	 * Where the processors of ended jobs go once their ends are recorded.
	 * @param relay the relay
	 */
	void relayTo(ProcessorRelay relay) {
		this.relay = relay;
	}

	/**
	 * Decides how a run that threw ends, and logs a retry at DEBUG and a lease that
	 * lapsed by this worker's clock at WARN. A failure for good is logged once the store
	 * has answered: only if it recorded it (unless its lease was lost, which the lease
	 * lines say), otherwise as a failure not recorded.
	 * @param job the run
	 * @param task its task, or {@code null} if no such task is registered here
	 * @param ex what the handler (or reading its arguments) threw
	 * @return the settlement, its retry delay and failure description
	 */
	Outcome failed(RunningJob job, @Nullable TaskDefinition task, Throwable ex) {
		ClaimedJob claimed = job.claimed;
		String reason = reason(job, task, ex);
		List<String> masked = this.registry.maskedArguments(claimed.job().task());
		Settlement settlement;
		Duration retryDelay = Duration.ZERO;
		String failure = null;
		if (RunningJob.HANDED_BACK.equals(job.stopReason)) {
			settlement = Settlement.HAND_BACK;
		}
		else if (RunningJob.LEASE_LAPSED.equals(job.stopReason)) {
			// The job was told to stop: it runs again, here or elsewhere, and its retries
			// are not used up. Should the lease be gone already, the store refuses this.
			settlement = Settlement.HAND_BACK;
			this.rateLimited.warn("lapsed:" + claimed.job().task(),
					"Job " + claimed.job().id() + " of task '" + claimed.job().task() + "' was told to stop on attempt "
							+ claimed.attempt()
							+ ": its lease lapsed by this worker's clock before it could be renewed (this node paused, "
							+ "or could not reach Redis, for longer than the lease); it is handed back to run again, "
							+ "unless another worker took it back already");
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
			failure = this.failures.describe(claimed, reason, this.nodeId, ex, this.clock.getAsLong(), masked);
		}
		else if (settlement == Settlement.RETRY) {
			logger.debug("Job " + claimed.job().id() + " (" + claimed.job().task() + ", attempt " + claimed.attempt()
					+ ") failed and is retried in " + retryDelay.toMillis() + " ms", ex);
		}
		return new Outcome(settlement, retryDelay, failure, reason, ex.toString());
	}

	private static String reason(RunningJob job, @Nullable TaskDefinition task, Throwable ex) {
		if (task == null) {
			return "unknown-task";
		}
		if (ex instanceof JobArgumentsException) {
			return "bad-arguments";
		}
		if (ex instanceof TaskRefusedException && job.stopReason == null) {
			return "refused";
		}
		if (job.stopReason != null) {
			return job.stopReason;
		}
		return "error";
	}

	/**
	 * Records how a run ended, under its lease, in a batch with the runs of this worker
	 * that ended meanwhile; wakes the fetchers of the queue if the job is due again.
	 * @param job the run
	 * @param outcome how it ended
	 * @param then told, once the store answered, whether it recorded the end; on this
	 * thread or on the thread that records the batch
	 */
	void settle(RunningJob job, Outcome outcome, Consumer<Recorded> then) {
		this.batches.add(new Ended(job, outcome, then));
	}

	/**
	 * Whether every end handed to {@link #settle} was recorded (or failed to be).
	 * @return whether none waits or is in flight
	 */
	boolean isIdle() {
		return this.batches.isIdle();
	}

	/**
	 * Sends a batch of ends, one store call per queue. It does not throw: a call that
	 * fails leaves its jobs' leases to lapse.
	 */
	private CompletionStage<?> record(List<Ended> batch) {
		Map<String, List<Ended>> byQueue = new LinkedHashMap<>();
		for (Ended ended : batch) {
			byQueue.computeIfAbsent(ended.job().claimed.job().queue(), (queue) -> new ArrayList<>()).add(ended);
		}
		List<CompletableFuture<?>> sent = new ArrayList<>(byQueue.size());
		byQueue.forEach((queue, ends) -> sent.add(record(queue, ends)));
		return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
	}

	private CompletableFuture<?> record(String queue, List<Ended> batch) {
		ProcessorRelay relay = this.relay;
		CompletableFuture<TaskStore.Settled> answers;
		long sent = System.nanoTime();
		try {
			answers = this.store.settleAllAsync(queue, settles(batch), relay.claimAfter(queue, batch.size()))
				.toCompletableFuture();
		}
		catch (RuntimeException ex) {
			answers = CompletableFuture.failedFuture(ex);
		}
		// No timeout of its own (a timer costs a thread switch a batch): Lettuce answers
		// every command it sent, sending again after a reconnect those not answered.
		return answers.handle((settled, ex) -> {
			Throwable error = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (error != null) {
				// Nothing sends these ends again: unless Redis ran the script after all,
				// the jobs stay taken, their leases (no longer renewed) lapse and another
				// worker takes them back: at least once.
				this.rateLimited.warn("settle",
						"Could not record the end of " + batch.size() + " job(s) of queue " + queue + ", among them "
								+ batch.get(0).job().claimed.job().id() + ": " + error
								+ "; they stay taken until their leases lapse, then run again");
			}
			answered(queue, batch, (settled != null) ? settled.settled() : null, error);
			try {
				relay.handOn(batch.size(), (settled != null) ? settled.claimed() : List.of(), sent);
			}
			catch (RuntimeException failed) {
				logger.error("Could not start the jobs taken after " + batch.size() + " job(s) ended", failed);
			}
			return null;
		});
	}

	/**
	 * Tells each run of a batch whether its end was recorded, on the thread that got the
	 * answer: nothing here waits on the store.
	 */
	private void answered(String queue, List<Ended> batch, @Nullable List<Boolean> answers, @Nullable Throwable error) {
		boolean dueAgain = false;
		for (int i = 0; i < batch.size(); i++) {
			Ended ended = batch.get(i);
			ClaimedJob claimed = ended.job().claimed;
			Outcome outcome = ended.outcome();
			Settlement settlement = outcome.settlement();
			Recorded recorded;
			if (answers == null) {
				recorded = Recorded.NOT_ANSWERED;
				this.rateLimited.warn("unrecorded:" + claimed.job().task(), unrecorded(ended, error));
			}
			else if (answers.get(i)) {
				recorded = Recorded.RECORDED;
				dueAgain |= settlement == Settlement.RETRY || settlement == Settlement.HAND_BACK;
				if (settlement == Settlement.FAIL && !RunningJob.LEASE_LOST.equals(ended.job().stopReason)) {
					this.rateLimited.warn("failed:" + claimed.job().task(),
							"Job " + claimed.job().id() + " of task '" + claimed.job().task() + "' failed for good ("
									+ outcome.reason() + ", attempt " + claimed.attempt() + "): " + outcome.error());
				}
			}
			else {
				recorded = Recorded.REFUSED;
				logger.warn("Job " + claimed.job().id() + " (" + claimed.job().task() + ") ended after its lease "
						+ "was lost; it was taken back and runs again elsewhere, or ran already");
			}
			try {
				ended.then().accept(recorded);
			}
			catch (RuntimeException ex) {
				logger.error("Could not finish the run of job " + claimed.job().id(), ex);
			}
		}
		if (dueAgain) {
			// A job is due again: wake a fetcher that computed its wait before, from a
			// thread that may wait on the store.
			this.afterAnswers.execute(() -> this.store.signal(queue));
		}
	}

	/**
	 * What is known of a job whose end the store did not confirm: not that it failed for
	 * good, nor that it is done.
	 */
	private static String unrecorded(Ended ended, @Nullable Throwable error) {
		ClaimedJob claimed = ended.job().claimed;
		Outcome outcome = ended.outcome();
		String what = RunningJob.LEASE_LOST.equals(ended.job().stopReason) ? "was stopped, its lease lost,"
				: switch (outcome.settlement()) {
					case DONE -> "is done";
					case RETRY -> "failed (" + outcome.reason() + ": " + outcome.error() + ") and was to be retried";
					case FAIL -> "failed with no retries left (" + outcome.reason() + ": " + outcome.error() + ")";
					case HAND_BACK -> "was to be handed back";
				};
		return "Job " + claimed.job().id() + " of task '" + claimed.job().task() + "' " + what + " on attempt "
				+ claimed.attempt() + ", but Redis did not confirm that this was recorded (" + error
				+ "): unless it was, the job stays taken until its lease lapses, then a worker takes it back and it "
				+ "runs again";
	}

	private static List<TaskStore.Settle> settles(List<Ended> batch) {
		List<TaskStore.Settle> settles = new ArrayList<>(batch.size());
		for (Ended ended : batch) {
			ClaimedJob claimed = ended.job().claimed;
			Outcome outcome = ended.outcome();
			settles.add(new TaskStore.Settle(claimed.job().id(), claimed.lease(), outcome.settlement(),
					outcome.retryDelay(), outcome.failure()));
		}
		return settles;
	}

	/**
	 * Hands a job back that was taken but could not start (the processors refused it), to
	 * the front of its queue, without waiting: it may be called where nothing may wait on
	 * the store. Should that fail, the lease lapses and it is taken back.
	 * @param job the job taken
	 */
	void handBackUnstarted(ClaimedJob job) {
		TaskStore.Settle handBack = new TaskStore.Settle(job.job().id(), job.lease(), Settlement.HAND_BACK,
				Duration.ZERO, null);
		try {
			this.store.settleAllAsync(job.job().queue(), List.of(handBack), null).whenComplete((answer, ex) -> {
				if (ex != null) {
					this.rateLimited.warn("settle", "Could not hand back job " + job.job().id() + ": " + ex);
				}
			});
		}
		catch (RuntimeException ex) {
			this.rateLimited.warn("settle", "Could not hand back job " + job.job().id() + ": " + ex);
		}
	}

	/**
	 * How a run ends.
	 *
	 * @param settlement what the store records
	 * @param retryDelay how long until a retried job is due
	 * @param failure the failure description of a job failed for good, or {@code null}
	 * @param reason why a run that threw ended ({@code error}, {@code timeout}, ...), or
	 * {@code null} if it did not throw
	 * @param error what it threw, or {@code null}
	 */
	record Outcome(Settlement settlement, Duration retryDelay, @Nullable String failure, @Nullable String reason,
			@Nullable String error) {

		static final Outcome DONE = new Outcome(Settlement.DONE, Duration.ZERO, null, null, null);

		/** A run that task middleware skipped: done, without running. */
		static final Outcome SKIPPED = new Outcome(Settlement.DONE, Duration.ZERO, null, "skipped", null);

	}

	/**
	 * What the store answered to a run's end.
	 */
	enum Recorded {

		/** It recorded the end. */
		RECORDED,

		/** It refused the end: the lease was no longer the run's. */
		REFUSED,

		/**
		 * It did not answer, or failed (Redis down, restarting, a timeout): the end may
		 * not be recorded.
		 */
		NOT_ANSWERED

	}

	/**
	 * A run that ended, how, and who is told once its end is recorded.
	 */
	private record Ended(RunningJob job, Outcome outcome, Consumer<Recorded> then) {
	}

}
