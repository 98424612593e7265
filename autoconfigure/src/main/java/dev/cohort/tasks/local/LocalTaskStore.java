package dev.cohort.tasks.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.Settlement;
import dev.cohort.tasks.TaskStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task queue in this JVM's memory, for the local transport: the same steps as the
 * Redis scripts, each atomic because it holds this store's monitor.
 */
public class LocalTaskStore implements TaskStore {

	/** The most due delayed jobs a claim moves to the queue, as claim.lua. */
	static final int MAX_DUE_PER_CLAIM = 1000;

	/** The most lapsed leases a claim takes back, as claim.lua. */
	static final int MAX_LAPSED_PER_CLAIM = 100;

	/** A Redis sorted set's order: by score, then by member. */
	private static final Comparator<Map.Entry<String, Long>> BY_SCORE_THEN_ID = Map.Entry
		.<String, Long>comparingByValue()
		.thenComparing(Map.Entry.comparingByKey());

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Queue> queues = new LinkedHashMap<>();

	/** The queues a job was enqueued to, as Redis's set of queue names. */
	private final Set<String> enqueuedTo = new LinkedHashSet<>();

	/** Each recurring task's mark, as Redis's hash of marks. */
	private final Map<String, RecurringPeriod> periods = new HashMap<>();

	/** The recurring tasks paused. */
	private final Set<String> pausedRecurring = new LinkedHashSet<>();

	/** The recurring scheduler's leadership, as lead.lua keeps it; lapsed or not. */
	private @Nullable Leadership leadership;

	/** The fencing counter of the leadership, as lead.lua's. */
	private long leadershipFence;

	private final LongSupplier clock;

	private volatile Consumer<Stall> stallListener = (stall) -> {
	};

	private long wakeUps;

	public LocalTaskStore() {
		this(System::currentTimeMillis);
	}

	LocalTaskStore(LongSupplier clock) {
		this.clock = clock;
	}

	@Override
	public synchronized List<String> enqueueAll(String queue, List<NewJob> jobs) {
		List<String> ids = new ArrayList<>(jobs.size());
		for (NewJob job : jobs) {
			if (!job.job().queue().equals(queue)) {
				throw new IllegalArgumentException("Job " + job.job().id() + " is not of queue " + queue);
			}
		}
		for (NewJob job : jobs) {
			String id = add(job.job(), job.dueAtMillis());
			ids.add(id);
			if (id.equals(job.job().id())) {
				signal(queue);
			}
		}
		return ids;
	}

	private String add(JobRecord job, long dueAtMillis) {
		this.enqueuedTo.add(job.queue());
		Queue queue = queue(job.queue());
		if (job.unique() != null) {
			String waiting = queue.unique.get(job.unique());
			if (waiting != null && queue.jobs.containsKey(waiting)) {
				return waiting;
			}
			queue.unique.put(job.unique(), job.id());
		}
		queue.jobs.put(job.id(), job);
		if (dueAtMillis > now()) {
			queue.delayed.put(job.id(), dueAtMillis);
		}
		else {
			queue.pending.addLast(job.id());
		}
		return job.id();
	}

	@Override
	public synchronized boolean enqueueRecurring(JobRecord job, long periodStart) {
		this.enqueuedTo.add(job.queue());
		Queue queue = queue(job.queue());
		Long last = queue.recurring.get(job.task());
		if (last != null && periodStart <= last) {
			return false;
		}
		queue.recurring.put(job.task(), periodStart);
		queue.jobs.put(job.id(), job);
		queue.pending.addLast(job.id());
		return true;
	}

	@Override
	public synchronized @Nullable RecurringPeriod lastPeriod(String task, String queue) {
		return this.periods.get(task);
	}

	@Override
	public synchronized RecurringPeriod beginPeriod(String task, long periodStart, String queue) {
		RecurringPeriod mark = this.periods.get(task);
		if (mark != null && mark.start() >= periodStart) {
			return mark;
		}
		RecurringPeriod begun = new RecurringPeriod(periodStart, queue, false);
		this.periods.put(task, begun);
		return begun;
	}

	@Override
	public synchronized void endPeriod(String task, long periodStart, String queue) {
		if (new RecurringPeriod(periodStart, queue, false).equals(this.periods.get(task))) {
			this.periods.put(task, new RecurringPeriod(periodStart, queue, true));
		}
	}

	@Override
	public synchronized long lead(String nodeId, String token, Duration lease) {
		Leadership held = liveLeadership();
		if (held != null && !held.token.equals(token)) {
			return 0;
		}
		long fence = (held != null) ? held.fence : ++this.leadershipFence;
		this.leadership = new Leadership(token, nodeId, fence, now() + lease.toMillis());
		return fence;
	}

	@Override
	public synchronized boolean resign(String token) {
		Leadership held = liveLeadership();
		if (held == null || !held.token.equals(token)) {
			return false;
		}
		this.leadership = null;
		return true;
	}

	@Override
	public synchronized @Nullable Leader leader() {
		Leadership held = liveLeadership();
		return (held != null) ? new Leader(held.nodeId, held.fence, Duration.ofMillis(held.deadline - now())) : null;
	}

	/**
	 * The leadership, unless its lease lapsed.
	 */
	private @Nullable Leadership liveLeadership() {
		Leadership held = this.leadership;
		return (held != null && held.deadline > now()) ? held : null;
	}

	@Override
	public synchronized List<ClaimedJob> claim(String name, String nodeId, int max, Duration lease, int maxStalls,
			Duration lockWait) {
		Queue queue = queue(name);
		long now = now();
		// As claim.lua: at most 1,000 due delayed jobs to the back of the queue, then at
		// most 100 lapsed leases taken back, earliest deadline first, each to the front
		// (so
		// the latest deadline ends first).
		dueBy(queue.delayed, now, MAX_DUE_PER_CLAIM).forEach((id) -> {
			queue.delayed.remove(id);
			queue.pending.addLast(id);
		});
		dueBy(queue.active, now, MAX_LAPSED_PER_CLAIM).forEach((id) -> takeBack(name, queue, id, maxStalls, now));
		String leaseId = Lease.newId();
		List<ClaimedJob> claimed = new ArrayList<>();
		int looked = 0;
		// A paused queue hands out nothing, as in claim.lua.
		while (!queue.paused && claimed.size() < max && !queue.pending.isEmpty() && looked++ < max + 100) {
			String id = queue.pending.pollFirst();
			JobRecord job = queue.jobs.get(id);
			if (job == null) {
				continue;
			}
			if (job.unique() != null && id.equals(queue.unique.get(job.unique()))) {
				queue.unique.remove(job.unique());
			}
			if (job.lock() != null) {
				JobLock held = queue.liveLock(job.lock(), now);
				if (held != null && !held.jobId.equals(id)) {
					queue.delayed.put(id, now + lockWait.toMillis());
					continue;
				}
				queue.locks.put(job.lock(), new JobLock(id, now + lease.toMillis()));
			}
			int attempt = queue.attempts.merge(id, 1, Integer::sum);
			long fence = ++queue.fence;
			queue.active.put(id, now + lease.toMillis());
			queue.leases.put(id, nodeId + "|" + fence + "|" + now + "|" + leaseId);
			claimed.add(new ClaimedJob(job, attempt, fence, queue.failures.getOrDefault(id, 0), leaseId));
		}
		return claimed;
	}

	/**
	 * The ids due by a time in a sorted set's order, as
	 * {@code ZRANGEBYSCORE -inf now LIMIT
	 * 0 max} reads them: by score, then by id.
	 */
	private static List<String> dueBy(Map<String, Long> scores, long now, int max) {
		return scores.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() <= now)
			.sorted(BY_SCORE_THEN_ID)
			.limit(max)
			.map(Map.Entry::getKey)
			.toList();
	}

	private void takeBack(String name, Queue queue, String id, int maxStalls, long now) {
		String lease = queue.leases.remove(id);
		queue.active.remove(id);
		JobRecord job = queue.jobs.get(id);
		if (job == null) {
			return;
		}
		queue.releaseLock(job, id);
		int stalls = queue.stalls.merge(id, 1, Integer::sum);
		queue.count("stalled");
		String node = (lease != null) ? lease.substring(0, lease.indexOf('|')) : "";
		this.stallListener.accept(
				new Stall(name, id, job.task(), node, stalls, stalls > maxStalls, queue.attempts.getOrDefault(id, 0)));
		if (stalls > maxStalls) {
			Map<String, Object> failure = new LinkedHashMap<>();
			failure.put("reason", "stalled");
			failure.put("node", node);
			failure.put("at", now);
			failure.put("stalls", stalls);
			failure.put("attempt", queue.attempts.getOrDefault(id, 0));
			queue.fail(id, this.mapper.writeValueAsString(failure), now);
		}
		else {
			queue.pending.addFirst(id);
		}
	}

	@Override
	public void onStall(Consumer<Stall> listener) {
		this.stallListener = listener;
	}

	@Override
	public synchronized List<String> renew(String name, Duration lease, Map<String, Lease> leases) {
		Queue queue = queue(name);
		long now = now();
		long deadline = now + lease.toMillis();
		List<String> lost = new ArrayList<>();
		leases.forEach((id, held) -> {
			if (!queue.holds(id, held)) {
				lost.add(id);
				return;
			}
			JobRecord job = queue.jobs.get(id);
			if (job != null && job.lock() != null) {
				JobLock lock = queue.liveLock(job.lock(), now);
				if (lock != null && !lock.jobId.equals(id)) {
					// Another job took the lock while this lease had lapsed.
					queue.active.remove(id);
					queue.leases.remove(id);
					queue.pending.addFirst(id);
					lost.add(id);
					return;
				}
				queue.locks.put(job.lock(), new JobLock(id, deadline));
			}
			queue.active.put(id, deadline);
		});
		return lost;
	}

	@Override
	public synchronized List<Boolean> settleAll(String queue, List<Settle> settles) {
		List<Boolean> settled = new ArrayList<>(settles.size());
		for (Settle settle : settles) {
			settled.add(settleOne(queue, settle.jobId(), settle.lease(), settle.settlement(), settle.retryDelay(),
					settle.failure()));
		}
		return settled;
	}

	private boolean settleOne(String name, String jobId, Lease lease, Settlement settlement, Duration retryDelay,
			@Nullable String failure) {
		Queue queue = queue(name);
		if (!queue.holds(jobId, lease)) {
			return false;
		}
		long now = now();
		queue.active.remove(jobId);
		queue.leases.remove(jobId);
		JobRecord job = queue.jobs.get(jobId);
		if (job != null) {
			queue.releaseLock(job, jobId);
		}
		switch (settlement) {
			case DONE -> {
				queue.jobs.remove(jobId);
				queue.forget(jobId);
				queue.count("processed");
				queue.history.count(now, true);
			}
			case RETRY -> {
				queue.delayed.put(jobId, now + retryDelay.toMillis());
				queue.failures.merge(jobId, 1, Integer::sum);
				queue.count("retried");
			}
			case FAIL -> queue.fail(jobId, Objects.requireNonNull(failure), now);
			case HAND_BACK -> queue.pending.addFirst(jobId);
		}
		return true;
	}

	@Override
	public synchronized long nextWakeMillis(String name) {
		Queue queue = queue(name);
		if (!queue.paused && !queue.pending.isEmpty()) {
			return 0;
		}
		long now = now();
		// A paused queue has work only when a lease lapses, as in next-wake.lua.
		return Stream
			.concat(queue.paused ? Stream.empty() : queue.delayed.values().stream(), queue.active.values().stream())
			.mapToLong((at) -> Math.max(0, at - now))
			.min()
			.orElse(-1);
	}

	@Override
	public WorkWaiter waiter() {
		return new WorkWaiter() {

			private boolean closed;

			// Wake-ups since the last wait count, as the ones left in Redis's lists do.
			private long seen = LocalTaskStore.this.wakeUps;

			@Override
			public void await(List<String> queues, Duration timeout) throws InterruptedException {
				synchronized (LocalTaskStore.this) {
					long deadline = System.nanoTime() + timeout.toNanos();
					while (!this.closed && this.seen == LocalTaskStore.this.wakeUps) {
						long left = deadline - System.nanoTime();
						if (left <= 0) {
							return;
						}
						TimeUnit.NANOSECONDS.timedWait(LocalTaskStore.this, left);
					}
					this.seen = LocalTaskStore.this.wakeUps;
				}
			}

			@Override
			public void close() {
				synchronized (LocalTaskStore.this) {
					this.closed = true;
					LocalTaskStore.this.notifyAll();
				}
			}

		};
	}

	@Override
	public synchronized void signal(String queue) {
		this.wakeUps++;
		notifyAll();
	}

	@Override
	public synchronized Set<String> queues() {
		return new LinkedHashSet<>(this.enqueuedTo);
	}

	@Override
	public synchronized int remove(String jobId) {
		Queue queue = queue(JobRecord.queueOf(jobId));
		if (queue.leases.containsKey(jobId)) {
			return -1;
		}
		if (!queue.jobs.containsKey(jobId)) {
			return 0;
		}
		queue.pending.remove(jobId);
		queue.delayed.remove(jobId);
		queue.failed.remove(jobId);
		queue.failedAt.remove(jobId);
		queue.forgetJob(jobId);
		return 1;
	}

	@Override
	public synchronized long deleteQueue(String name) {
		Queue queue = queue(name);
		long deleted = 0;
		for (String id : Stream.concat(queue.pending.stream(), queue.delayed.keySet().stream()).toList()) {
			deleted += queue.forgetJob(id) ? 1 : 0;
		}
		queue.pending.clear();
		queue.delayed.clear();
		return deleted;
	}

	@Override
	public synchronized List<JobRecord> waitingJobsOf(String name, String task) {
		Queue queue = queue(name);
		return Stream
			.concat(queue.pending.stream(),
					queue.delayed.entrySet().stream().sorted(BY_SCORE_THEN_ID).map(Map.Entry::getKey))
			.map(queue.jobs::get)
			.filter((job) -> job != null && job.task().equals(task))
			.toList();
	}

	@Override
	public synchronized int removeWaiting(String name, List<String> jobIds) {
		Queue queue = queue(name);
		Set<String> ids = new HashSet<>(jobIds);
		List<String> taken = new ArrayList<>();
		for (String id : ids) {
			if (queue.delayed.remove(id) != null) {
				taken.add(id);
			}
		}
		// As remove-waiting.lua: the waiting list is walked once, not once per job.
		for (String id : queue.pending) {
			if (ids.contains(id)) {
				taken.add(id);
			}
		}
		queue.pending.removeIf(ids::contains);
		int removed = 0;
		for (String id : taken) {
			removed += queue.forgetJob(id) ? 1 : 0;
		}
		return removed;
	}

	@Override
	public synchronized boolean pause(String name, boolean paused) {
		this.enqueuedTo.add(name);
		Queue queue = queue(name);
		boolean changed = queue.paused != paused;
		queue.paused = paused;
		return changed;
	}

	@Override
	public synchronized boolean pauseRecurring(String task, boolean paused) {
		return paused ? this.pausedRecurring.add(task) : this.pausedRecurring.remove(task);
	}

	@Override
	public synchronized Set<String> pausedRecurring() {
		return new LinkedHashSet<>(this.pausedRecurring);
	}

	@Override
	public synchronized boolean removeFailed(String jobId) {
		return queue(JobRecord.queueOf(jobId)).failed.containsKey(jobId) && remove(jobId) == 1;
	}

	@Override
	public synchronized boolean retryFailed(String jobId) {
		Queue queue = queue(JobRecord.queueOf(jobId));
		if (queue.failed.remove(jobId) == null) {
			return false;
		}
		queue.failedAt.remove(jobId);
		queue.forget(jobId);
		if (!queue.jobs.containsKey(jobId)) {
			return false;
		}
		queue.pending.addLast(jobId);
		return true;
	}

	@Override
	public synchronized QueueSnapshot inspect(String name, long from, long to) {
		Queue queue = queue(name);
		List<String> waiting = range(new ArrayList<>(queue.pending), from, to);
		Map<String, Long> delayed = new LinkedHashMap<>();
		queue.delayed.entrySet()
			.stream()
			.sorted(BY_SCORE_THEN_ID)
			.limit(1000)
			.forEach((entry) -> delayed.put(entry.getKey(), entry.getValue()));
		Map<String, String> failed = new LinkedHashMap<>();
		queue.failedOldestFirst().stream().limit(1000).forEach((id) -> failed.put(id, queue.failed.get(id)));
		Map<String, JobRecord> jobs = new LinkedHashMap<>();
		Stream.of(waiting, delayed.keySet(), queue.leases.keySet(), failed.keySet())
			.flatMap(Collection::stream)
			.forEach((id) -> {
				JobRecord job = queue.jobs.get(id);
				if (job != null) {
					jobs.put(id, job);
				}
			});
		return new QueueSnapshot(queue.pending.size(), waiting, delayed, new LinkedHashMap<>(queue.leases), failed,
				jobs, new LinkedHashMap<>(queue.stats), queue.delayed.size(), queue.failed.size());
	}

	@Override
	public synchronized QueueCounts counts(String name) {
		Queue queue = queue(name);
		long oldest = -1;
		// As counts.lua: the first of the next few jobs whose record exists.
		for (String id : queue.pending.stream().limit(10).toList()) {
			JobRecord job = queue.jobs.get(id);
			if (job != null) {
				oldest = Math.max(0, now() - job.enqueuedAt());
				break;
			}
		}
		return new QueueCounts(queue.pending.size(), queue.delayed.size(), queue.leases.size(), queue.failed.size(),
				new LinkedHashMap<>(queue.stats), oldest, queue.paused);
	}

	@Override
	public synchronized List<DelayedEntry> delayed(String name, long from, long to) {
		Queue queue = queue(name);
		// As the sorted set in Redis: by due time, then by id.
		List<Map.Entry<String, Long>> sorted = queue.delayed.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
			.toList();
		return range(sorted, from, to).stream()
			.map((due) -> new DelayedEntry(due.getKey(), due.getValue(), queue.jobs.get(due.getKey())))
			.toList();
	}

	@Override
	public synchronized List<FailedEntry> failed(String name, long from, long to) {
		Queue queue = queue(name);
		List<String> ids = queue.failedOldestFirst();
		List<FailedEntry> page = new ArrayList<>();
		for (String id : range(ids, from, to)) {
			String failure = queue.failed.get(id);
			if (failure != null) { // always, the ids being the failed map's
				page.add(new FailedEntry(id, failure, queue.jobs.get(id)));
			}
		}
		return page;
	}

	@Override
	public synchronized int deleteFailed(String name, int max) {
		Queue queue = queue(name);
		// As delete-failed.lua: each failed job goes with its failure, record, attempts
		// and
		// unique entry, whether or not its record is still there.
		List<String> ids = queue.failedOldestFirst().stream().limit(max).toList();
		for (String id : ids) {
			queue.failed.remove(id);
			queue.failedAt.remove(id);
			queue.forgetJob(id);
		}
		return ids.size();
	}

	@Override
	public synchronized History history(String name) {
		return new History(now(), queue(name).history.minutes());
	}

	/**
	 * The elements from one position to another, inclusive, as Redis's {@code LRANGE} and
	 * {@code ZRANGE} take them: negative positions count from the end.
	 */
	private static <T> List<T> range(List<T> all, long from, long to) {
		int first = (int) Math.min(Math.max(0, (from < 0) ? all.size() + from : from), all.size());
		int last = (int) Math.min((to < 0) ? all.size() + to + 1 : to + 1, all.size());
		return List.copyOf(all.subList(first, Math.max(first, last)));
	}

	@Override
	public synchronized Map<String, String> jobLocks(String name) {
		Queue queue = queue(name);
		long now = now();
		Map<String, String> locks = new LinkedHashMap<>();
		queue.locks.forEach((key, lock) -> {
			if (lock.deadline > now) {
				locks.put(key, lock.jobId);
			}
		});
		return locks;
	}

	@Override
	public synchronized boolean deleteJobLock(String name, String lockKey) {
		Queue queue = queue(name);
		return queue.liveLock(lockKey, now()) != null && queue.locks.remove(lockKey) != null;
	}

	private Queue queue(String name) {
		return this.queues.computeIfAbsent(name, (key) -> new Queue());
	}

	private long now() {
		return this.clock.getAsLong();
	}

	private static final class Queue {

		final ArrayDeque<String> pending = new ArrayDeque<>();

		final Map<String, JobRecord> jobs = new HashMap<>();

		final Map<String, Long> delayed = new HashMap<>();

		final Map<String, Long> active = new HashMap<>();

		final Map<String, String> leases = new LinkedHashMap<>();

		final Map<String, String> failed = new HashMap<>();

		final Map<String, Long> failedAt = new HashMap<>();

		final Map<String, String> unique = new HashMap<>();

		final Map<String, Long> stats = new LinkedHashMap<>();

		final Map<String, Integer> attempts = new HashMap<>();

		final Map<String, Integer> stalls = new HashMap<>();

		final Map<String, Integer> failures = new HashMap<>();

		final Map<String, Long> recurring = new HashMap<>();

		final Map<String, JobLock> locks = new HashMap<>();

		final HistoryRing history = new HistoryRing();

		long fence;

		boolean paused;

		/**
		 * Forgets a job no list holds any more, as forgetJob in common.lua: its record,
		 * attempts, and its unique entry if it holds it.
		 * @return whether it had a record
		 */
		boolean forgetJob(String id) {
			JobRecord job = this.jobs.remove(id);
			forget(id);
			if (job != null && job.unique() != null && id.equals(this.unique.get(job.unique()))) {
				this.unique.remove(job.unique());
			}
			return job != null;
		}

		boolean holds(String id, Lease held) {
			String lease = this.leases.get(id);
			if (lease == null) {
				return false;
			}
			String[] parts = lease.split("\\|");
			return parts[1].equals(Long.toString(held.fencingToken())) && parts[3].equals(held.id());
		}

		@Nullable JobLock liveLock(String key, long now) {
			JobLock lock = this.locks.get(key);
			if (lock != null && lock.deadline <= now) {
				this.locks.remove(key);
				return null;
			}
			return lock;
		}

		void releaseLock(JobRecord job, String id) {
			if (job.lock() != null) {
				JobLock lock = this.locks.get(job.lock());
				if (lock != null && lock.jobId.equals(id)) {
					this.locks.remove(job.lock());
				}
			}
		}

		void fail(String id, String failure, long now) {
			this.failed.put(id, failure);
			this.failedAt.put(id, now);
			count("failed");
			this.history.count(now, false);
		}

		/**
		 * The failed jobs in the order of Redis's sorted set: by failure time, then id.
		 */
		List<String> failedOldestFirst() {
			return this.failedAt.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
				.map(Map.Entry::getKey)
				.toList();
		}

		void forget(String id) {
			this.attempts.remove(id);
			this.stalls.remove(id);
			this.failures.remove(id);
		}

		void count(String stat) {
			this.stats.merge(stat, 1L, Long::sum);
		}

	}

	/**
	 * Jobs done and failed per minute for a day, in a ring of minutes as in Redis's
	 * {@code history} hash: slot {@code minute mod 1440} holds the minute it counts, and
	 * is reset when a later minute comes round to it.
	 */
	private static final class HistoryRing {

		final long[] minutes = new long[History.SLOTS];

		final long[] done = new long[History.SLOTS];

		final long[] failed = new long[History.SLOTS];

		HistoryRing() {
			Arrays.fill(this.minutes, -1);
		}

		void count(long nowMillis, boolean wasDone) {
			long minute = Math.floorDiv(nowMillis, 60_000L);
			int slot = (int) Math.floorMod(minute, History.SLOTS);
			if (this.minutes[slot] != minute) {
				this.minutes[slot] = minute;
				this.done[slot] = 0;
				this.failed[slot] = 0;
			}
			if (wasDone) {
				this.done[slot]++;
			}
			else {
				this.failed[slot]++;
			}
		}

		List<History.Minute> minutes() {
			List<History.Minute> kept = new ArrayList<>();
			for (int slot = 0; slot < History.SLOTS; slot++) {
				if (this.minutes[slot] >= 0) {
					kept.add(new History.Minute(this.minutes[slot], this.done[slot], this.failed[slot]));
				}
			}
			return kept;
		}

	}

	private record Leadership(String token, String nodeId, long fence, long deadline) {
	}

	private static final class JobLock {

		final String jobId;

		long deadline;

		JobLock(String jobId, long deadline) {
			this.jobId = jobId;
			this.deadline = deadline;
		}

	}

}
