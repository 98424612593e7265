package dev.cohort.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} that passes every call to another, for tests that step in between a
 * worker and the real store at one point.
 */
public class ForwardingTaskStore implements TaskStore {

	private final TaskStore delegate;

	public ForwardingTaskStore(TaskStore delegate) {
		this.delegate = delegate;
	}

	@Override
	public List<DelayedEntry> delayed(String queue, long from, long to) {
		return this.delegate.delayed(queue, from, to);
	}

	@Override
	public void onStall(java.util.function.Consumer<Stall> listener) {
		this.delegate.onStall(listener);
	}

	@Override
	public String enqueue(JobRecord job, long dueAtMillis) {
		return this.delegate.enqueue(job, dueAtMillis);
	}

	@Override
	public List<String> enqueueAll(String queue, List<NewJob> jobs) {
		return this.delegate.enqueueAll(queue, jobs);
	}

	@Override
	public boolean enqueueRecurring(JobRecord job, long periodStart) {
		return this.delegate.enqueueRecurring(job, periodStart);
	}

	@Override
	public @Nullable RecurringPeriod lastPeriod(String task, String queue) {
		return this.delegate.lastPeriod(task, queue);
	}

	@Override
	public RecurringPeriod beginPeriod(String task, long periodStart, String queue) {
		return this.delegate.beginPeriod(task, periodStart, queue);
	}

	@Override
	public void endPeriod(String task, long periodStart, String queue) {
		this.delegate.endPeriod(task, periodStart, queue);
	}

	@Override
	public long lead(String nodeId, String token, Duration lease) {
		return this.delegate.lead(nodeId, token, lease);
	}

	@Override
	public boolean resign(String token) {
		return this.delegate.resign(token);
	}

	@Override
	public @Nullable Leader leader() {
		return this.delegate.leader();
	}

	@Override
	public List<ClaimedJob> claim(String queue, String nodeId, int max, Duration lease, int maxStalls,
			Duration lockWait) {
		return this.delegate.claim(queue, nodeId, max, lease, maxStalls, lockWait);
	}

	@Override
	public List<String> renew(String queue, Duration lease, Map<String, Lease> leases) {
		return this.delegate.renew(queue, lease, leases);
	}

	@Override
	public List<Boolean> settleAll(String queue, List<Settle> settles) {
		return this.delegate.settleAll(queue, settles);
	}

	@Override
	public boolean settle(String queue, String jobId, Lease lease, Settlement settlement, Duration retryDelay,
			@Nullable String failure) {
		return this.delegate.settle(queue, jobId, lease, settlement, retryDelay, failure);
	}

	@Override
	public long nextWakeMillis(String queue) {
		return this.delegate.nextWakeMillis(queue);
	}

	@Override
	public WorkWaiter waiter() {
		return this.delegate.waiter();
	}

	@Override
	public void signal(String queue) {
		this.delegate.signal(queue);
	}

	@Override
	public Set<String> queues() {
		return this.delegate.queues();
	}

	@Override
	public int remove(String jobId) {
		return this.delegate.remove(jobId);
	}

	@Override
	public boolean removeFailed(String jobId) {
		return this.delegate.removeFailed(jobId);
	}

	@Override
	public boolean retryFailed(String jobId) {
		return this.delegate.retryFailed(jobId);
	}

	@Override
	public QueueSnapshot inspect(String queue, long from, long to) {
		return this.delegate.inspect(queue, from, to);
	}

	@Override
	public QueueCounts counts(String queue) {
		return this.delegate.counts(queue);
	}

	@Override
	public List<FailedEntry> failed(String queue, long from, long to) {
		return this.delegate.failed(queue, from, to);
	}

	@Override
	public long deleteQueue(String queue) {
		return this.delegate.deleteQueue(queue);
	}

	@Override
	public List<JobRecord> waitingJobsOf(String queue, String task) {
		return this.delegate.waitingJobsOf(queue, task);
	}

	@Override
	public int removeWaiting(String queue, List<String> jobIds) {
		return this.delegate.removeWaiting(queue, jobIds);
	}

	@Override
	public boolean pause(String queue, boolean paused) {
		return this.delegate.pause(queue, paused);
	}

	@Override
	public boolean pauseRecurring(String task, boolean paused) {
		return this.delegate.pauseRecurring(task, paused);
	}

	@Override
	public Set<String> pausedRecurring() {
		return this.delegate.pausedRecurring();
	}

	@Override
	public int deleteFailed(String queue, int max) {
		return this.delegate.deleteFailed(queue, max);
	}

	@Override
	public History history(String queue) {
		return this.delegate.history(queue);
	}

	@Override
	public Map<String, String> jobLocks(String queue) {
		return this.delegate.jobLocks(queue);
	}

	@Override
	public boolean deleteJobLock(String queue, String lockKey) {
		return this.delegate.deleteJobLock(queue, lockKey);
	}

}
