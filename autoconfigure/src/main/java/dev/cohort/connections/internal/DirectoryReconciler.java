package dev.cohort.connections.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ConnectionStore.Forgotten;
import dev.cohort.connections.ConnectionStore.Held;
import dev.cohort.connections.ConnectionStore.Reassertion;
import dev.cohort.connections.ConnectionStore.Summary;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.DirectoryFingerprint;
import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Keeps the directory's entries of this node's connections in step with what the node
 * really holds. It writes them all again, in bounded batches, when the node recovers from
 * being out of the cluster (others may have purged it; Redis may have lost everything),
 * and it compares two numbers with the directory's at a fixed interval (how many
 * connections, and a {@link DirectoryFingerprint fingerprint} of them and their rooms),
 * writing them again when they differ twice in a row (a lost write, a race; the second
 * check comes a fifth of the interval after the first that differed), or at once when the
 * directory's epoch changed (it lost its data). Writing again adds the connections and
 * memberships that are missing, with a {@code join} event for each membership added
 * again, removes the memberships and connections the node does not hold, with their
 * {@code leave} events, and, only when the directory lost its data, creates the rooms
 * again.
 * <p>
 * It also purges the nodes that left ({@link ConnectionHub#purge}), and tries a purge
 * that failed again at each check while the node is still not a member. All of it runs on
 * one thread of its own, {@code cohort-directory-1}, so that neither a long purge nor a
 * repair delays this node's heartbeats.
 */
public class DirectoryReconciler implements SmartLifecycle {

	/** How many connections one script call writes again, or checks, at most. */
	static final int BATCH = 100;

	private static final Log logger = LogFactory.getLog(DirectoryReconciler.class);

	private static final RateLimitedLog rateLimitedLog = new RateLimitedLog(logger, 10_000);

	private final ConnectionHub hub;

	private final ConnectionStore store;

	private final ClusterClock clock;

	private final ClusterNodes nodes;

	private final Duration checkInterval;

	/** The nodes that left and are still to be purged; only used on the thread. */
	private final Set<String> purges = new LinkedHashSet<>();

	/** The directory's epoch as this node last saw it; only used on the thread. */
	private @Nullable String epoch;

	/** Whether the last check found the numbers different; only used on the thread. */
	private boolean differed;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Creates the reconciler of a node's connections.
	 * @param hub the node's connections
	 * @param store the directory
	 * @param clock the cluster clock, for the join time of memberships written again
	 * @param nodes the members, so that a node that is a member again is not purged
	 * @param checkInterval how often to compare this node's numbers with the directory's
	 */
	public DirectoryReconciler(ConnectionHub hub, ConnectionStore store, ClusterClock clock, ClusterNodes nodes,
			Duration checkInterval) {
		this.hub = hub;
		this.store = store;
		this.clock = clock;
		this.nodes = nodes;
		this.checkInterval = checkInterval;
	}

	@Override
	public void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cohort-directory-");
		threads.setDaemon(true);
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(threads);
		long interval = this.checkInterval.toMillis();
		scheduler.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		this.scheduler = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * After the connections, so that it stops first and starts last.
	 */
	@Override
	public int getPhase() {
		return this.hub.getPhase() + 1;
	}

	/**
	 * This node is a member again after it was out: writes every entry of its connections
	 * again, soon, on the reconciler's thread.
	 */
	public void recovered() {
		later(() -> attempt(() -> repair(summary(), "this node was out of the cluster")));
		confirmLater();
	}

	/**
	 * A node left: forgets its connections and tells their rooms, soon, on the
	 * reconciler's thread.
	 * @param nodeId the node
	 */
	public void purge(String nodeId) {
		later(() -> {
			this.purges.add(nodeId);
			purgePending();
		});
	}

	private void later(Runnable work) {
		later(work, 0);
	}

	/**
	 * Runs work on the reconciler's thread after a delay, unless it is stopping.
	 */
	private void later(Runnable work, long delayMillis) {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			return;
		}
		try {
			scheduler.schedule(work, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	/**
	 * Purges the nodes that left, unless they are members again; stops at the first
	 * failure, to try again at the next check.
	 */
	private void purgePending() {
		for (Iterator<String> pending = this.purges.iterator(); pending.hasNext();) {
			String nodeId = pending.next();
			if (!this.nodes.isMember(nodeId)) {
				try {
					this.hub.purge(nodeId);
				}
				catch (RuntimeException ex) {
					rateLimitedLog.warn("purge", "Could not forget the connections of node " + nodeId
							+ ", which left; trying again in " + this.checkInterval + ": " + ex);
					return;
				}
			}
			pending.remove();
		}
	}

	/**
	 * Compares this node's numbers with the directory's, and writes the entries again if
	 * the directory lost its data, or if they differ twice in a row: once may be an
	 * operation of another node whose event has not reached this one yet.
	 */
	void check() {
		purgePending();
		attempt(() -> {
			Observation observation = summary();
			Summary summary = observation.summary();
			// Hashed out of the lock: opens, closes, joins and leaves need not wait for
			// it.
			boolean differs = summary.connections() != observation.held().size()
					|| summary.fingerprint() != fingerprintOf(observation.held());
			if (epochChanged(summary)) {
				repair(observation, "the directory lost its data");
				confirmLater();
			}
			else if (differs && this.differed) {
				repair(observation, "the directory differs from what this node holds");
				confirmLater();
			}
			else {
				if (differs && !this.differed) {
					recheckSoon();
				}
				this.differed = differs;
				this.epoch = summary.epoch();
				return;
			}
			this.differed = false;
		});
	}

	/**
	 * Writes the entries again once more, a check interval after a repair. A repair ends
	 * by setting the node's fingerprint to what it holds; an operation of another node
	 * (or a write lost in a failover) that took an entry out while the repair ran leaves
	 * the fingerprint agreeing with a directory that lacks the entry, and no check would
	 * see it. The second repair writes every entry again, and changes nothing otherwise.
	 */
	private void confirmLater() {
		later(() -> attempt(() -> repair(summary(), "an operation may have raced the repair before")),
				this.checkInterval.toMillis());
	}

	/**
	 * Checks again after a fifth of the interval (one heartbeat), not a whole interval:
	 * an event on its way between nodes settles in milliseconds, and a write the
	 * directory lost (a failover that dropped the last writes) is repaired sooner.
	 */
	private void recheckSoon() {
		later(this::check, Math.max(1, this.checkInterval.toMillis() / 5));
	}

	private void attempt(Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException ex) {
			rateLimitedLog.warn("failed",
					"Could not compare the directory with the connections of node " + this.hub.nodeId() + ": " + ex);
		}
	}

	/**
	 * The directory's numbers, and what this node holds, taken while none of its
	 * connections changes.
	 */
	private Observation summary() {
		return this.hub.directoryExclusive(() -> {
			Summary summary = this.store.summary(this.hub.nodeId(), UUID.randomUUID().toString());
			return new Observation(summary, held(this.hub.held()));
		});
	}

	private boolean epochChanged(Summary summary) {
		return summary.epochCreated() || (this.epoch != null && !this.epoch.equals(summary.epoch()));
	}

	private static List<Held> held(List<LocalConnection> connections) {
		return connections.stream()
			.map((connection) -> new Held(connection.id(), Set.copyOf(connection.rooms())))
			.toList();
	}

	private static int fingerprintOf(List<Held> connections) {
		int fingerprint = 0;
		for (Held connection : connections) {
			fingerprint ^= DirectoryFingerprint.of(connection.connectionId(), connection.rooms());
		}
		return fingerprint;
	}

	/**
	 * Writes again what this node holds, a batch at a time, then forgets what it does not
	 * hold, a batch at a time, then sets the directory's fingerprint to this node's
	 * (which repairs the fingerprint itself, should it be wrong).
	 */
	private void repair(Observation observation, String why) {
		boolean recreateRooms = epochChanged(observation.summary());
		Changes changes = new Changes();
		List<LocalConnection> held = this.hub.held();
		for (int from = 0; from < held.size(); from += BATCH) {
			List<LocalConnection> batch = held.subList(from, Math.min(held.size(), from + BATCH));
			changes.add(this.hub.directoryExclusive(() -> reassert(batch, recreateRooms)));
		}
		this.store.connectionsOf(this.hub.nodeId(), BATCH,
				(ids) -> changes.add(this.hub.directoryExclusive(() -> forgetNotHeld(ids))));
		this.hub.directoryExclusive(() -> {
			this.store.setFingerprint(this.hub.nodeId(), fingerprintOf(held(this.hub.held())));
			return null;
		});
		this.epoch = observation.summary().epoch();
		if (changes.isEmpty()) {
			logger.debug("The directory agreed with the connections of node " + this.hub.nodeId());
		}
		else {
			logger.warn("Wrote again the directory's entries of node " + this.hub.nodeId() + ", as " + why + ": "
					+ changes);
		}
	}

	private Reassertion reassert(List<LocalConnection> batch, boolean recreateRooms) {
		List<Held> stillHeld = new ArrayList<>(batch.size());
		for (LocalConnection connection : batch) {
			if (this.hub.local(connection.id()) == connection) {
				stillHeld.add(new Held(connection.id(), Set.copyOf(connection.rooms()), connection.user(),
						Map.copyOf(connection.memberDetails())));
			}
		}
		if (stillHeld.isEmpty()) {
			return new Reassertion(Map.of(), Map.of(), Map.of());
		}
		// Each connection is listed under its user again too, in the same step: the
		// fingerprint does not cover users.
		return this.store.reassert(this.hub.nodeId(), stillHeld, recreateRooms, this.clock.millis());
	}

	private Forgotten forgetNotHeld(List<String> ids) {
		List<String> notHeld = ids.stream().filter((id) -> this.hub.local(id) == null).toList();
		return notHeld.isEmpty() ? new Forgotten(0, Map.of()) : this.store.forget(this.hub.nodeId(), notHeld);
	}

	/**
	 * The directory's numbers for this node, and what the node held at that moment.
	 */
	private record Observation(Summary summary, List<Held> held) {
	}

	/**
	 * What a repair changed, told to the rooms as it goes.
	 */
	private final class Changes {

		private int joined;

		private int left;

		private int gone;

		private int forgotten;

		void add(Reassertion reassertion) {
			this.joined += tell(reassertion.joined(), DirectoryReconciler.this.hub::membershipsRestored);
			this.left += tell(reassertion.left(), DirectoryReconciler.this.hub::membershipsEnded);
			this.gone += tell(reassertion.gone(), DirectoryReconciler.this.hub::membershipsEnded);
		}

		void add(Forgotten forgotten) {
			this.forgotten += forgotten.connections();
			this.left += tell(forgotten.memberships(), DirectoryReconciler.this.hub::membershipsEnded);
		}

		private static int tell(Map<String, List<String>> memberships, BiConsumer<String, List<String>> rooms) {
			memberships.forEach(rooms);
			return memberships.values().stream().mapToInt(List::size).sum();
		}

		boolean isEmpty() {
			return this.joined + this.left + this.gone + this.forgotten == 0;
		}

		@Override
		public String toString() {
			return this.joined + " memberships added again, " + this.left + " removed, " + this.gone
					+ " of rooms that no longer exist, " + this.forgotten + " connections it no longer holds forgotten";
		}

	}

}
