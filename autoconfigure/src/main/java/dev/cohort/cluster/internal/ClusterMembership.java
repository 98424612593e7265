package dev.cohort.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.MembershipRecoveredEvent;
import dev.cohort.cluster.MembershipStore.Heartbeat;
import dev.cohort.cluster.MembershipStore.Status;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeJoinedEvent;
import dev.cohort.cluster.NodeLeftEvent.Reason;
import dev.cohort.cluster.NodeLeftEvent;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Keeps this node registered and tracks the other members. The node heartbeats every
 * {@code cluster.heartbeat-interval}; a member whose heartbeats stop for
 * {@code cluster.node-timeout} (on the store's clock) is dropped. A node that stops
 * cleanly leaves at once and says so, and a node that starts says so too, so the others
 * notice either without waiting for their next heartbeat.
 * <p>
 * A node tells "the others died" from "I could not see anyone": when its own heartbeats
 * were interrupted for longer than the node timeout, or its heartbeat finds that it had
 * been dropped, the members missing from the list it then reads may have been out for the
 * same reason (a Redis outage, say), so they get one node timeout from this node's
 * recovery to heartbeat again before this node sees them leave. Meanwhile they stay in
 * the view, and those that come back in time cause no event at all. The node also
 * publishes {@link MembershipRecoveredEvent}, so that what it keeps in Redis for itself
 * can be written again.
 * <p>
 * Once the node has started, all changes of the member list happen on one thread, which
 * also publishes {@link NodeJoinedEvent} and {@link NodeLeftEvent}; the members found
 * while starting are published on the starting thread.
 */
public class ClusterMembership implements ClusterNodes, SmartLifecycle {

	/** Lifecycle phase: after the bus it announces itself on, before it stops. */
	public static final int PHASE = ClusterBus.PHASE + 1;

	static final String JOINED_TYPE = "cohort.node.joined";

	static final String LEFT_TYPE = "cohort.node.left";

	private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(ClusterMembership.class);

	private static final RateLimitedLog rateLimitedLog = new RateLimitedLog(logger, 10_000);

	private final NodeInfo self;

	private final MembershipStore store;

	private final ClusterBus bus;

	private final ClusterClock clock;

	private final Duration heartbeatInterval;

	private final Duration nodeTimeout;

	private final ApplicationEventPublisher events;

	private final Set<String> announcedLeaving = ConcurrentHashMap.newKeySet();

	private final List<ClusterBus.Registration> registrations = new ArrayList<>();

	private volatile Map<String, NodeInfo> view = Map.of();

	/**
	 * When the last heartbeat answered, on {@link System#nanoTime()}; volatile, as health
	 * checks read it from other threads.
	 */
	private volatile long lastHeartbeatNanos;

	/** Whether a heartbeat has answered yet. */
	private volatile boolean heartbeatAnswered;

	/** Whether the last heartbeat that answered kept this node registered. */
	private volatile boolean registered;

	/**
	 * Until when, on {@link System#nanoTime()}, missing members are given time to
	 * heartbeat again after this node recovered; only valid while {@link #inGrace}.
	 */
	private long graceEndsNanos;

	private boolean inGrace;

	private volatile @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable Thread schedulerThread;

	/**
	 * Creates the membership of one node.
	 * @param self this node
	 * @param store where the member list lives
	 * @param bus carries join and leave announcements
	 * @param clock learns the store's time from each heartbeat
	 * @param heartbeatInterval how often this node heartbeats
	 * @param nodeTimeout how long a node stays live without heartbeats
	 * @param events publishes membership changes
	 */
	public ClusterMembership(NodeInfo self, MembershipStore store, ClusterBus bus, ClusterClock clock,
			Duration heartbeatInterval, Duration nodeTimeout, ApplicationEventPublisher events) {
		this.self = self;
		this.store = store;
		this.bus = bus;
		this.clock = clock;
		this.heartbeatInterval = heartbeatInterval;
		this.nodeTimeout = nodeTimeout;
		this.events = events;
	}

	@Override
	public NodeInfo self() {
		return this.self;
	}

	@Override
	public List<NodeInfo> members() {
		List<NodeInfo> members = new ArrayList<>(this.view.values());
		members.sort(Comparator.comparing(NodeInfo::id));
		return members;
	}

	@Override
	public Map<String, Instant> lastHeartbeats() {
		Map<String, Instant> heartbeats = new LinkedHashMap<>();
		this.store.deadlines()
			.forEach(
					(id, deadline) -> heartbeats.put(id, Instant.ofEpochMilli(deadline - this.nodeTimeout.toMillis())));
		return heartbeats;
	}

	@Override
	public boolean isMember(String nodeId) {
		return this.view.containsKey(nodeId);
	}

	/**
	 * How long ago this node's last heartbeat reached the store, whatever it found.
	 * @return the time since, or {@code null} if none has yet
	 */
	public @Nullable Duration sinceLastHeartbeat() {
		return this.heartbeatAnswered ? Duration.ofNanos(System.nanoTime() - this.lastHeartbeatNanos) : null;
	}

	/**
	 * Whether this node is a live member now: it has started, its last heartbeat kept it
	 * registered, and that heartbeat is more recent than the node timeout. Past that, the
	 * others may have dropped it. Reads no store.
	 * @return whether it is a live member
	 */
	public boolean isLiveMember() {
		Duration since = sinceLastHeartbeat();
		return isRunning() && this.registered && since != null && since.compareTo(this.nodeTimeout) <= 0;
	}

	/**
	 * How long a node stays live without heartbeats.
	 * @return the node timeout
	 */
	public Duration nodeTimeout() {
		return this.nodeTimeout;
	}

	@Override
	public void refresh() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			return;
		}
		if (Thread.currentThread() == this.schedulerThread) {
			heartbeat();
			return;
		}
		try {
			scheduler.submit(this::heartbeat).get(REFRESH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
			// The view stays as it was; the next heartbeat refreshes it.
		}
	}

	@Override
	public void start() {
		join();
		// Not a daemon: like a web server's, this thread keeps a node without one alive.
		CustomizableThreadFactory threads = new CustomizableThreadFactory("cohort-membership-");
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = threads.newThread(task);
			this.schedulerThread = thread;
			return thread;
		});
		this.registrations.add(this.bus.subscribeInline(JOINED_TYPE, (envelope) -> later(scheduler, this::heartbeat)));
		this.registrations.add(this.bus.subscribeInline(LEFT_TYPE, (envelope) -> {
			this.announcedLeaving.add(envelope.origin());
			later(scheduler, this::heartbeat);
		}));
		this.bus.send(JOINED_TYPE, Envelope.ALL, "{}");
		long interval = this.heartbeatInterval.toMillis();
		scheduler.scheduleWithFixedDelay(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	private void join() {
		Heartbeat heartbeat;
		try {
			heartbeat = beat();
		}
		catch (DataAccessException ex) {
			throw ClusterConfigurationException
				.redisUnreachable("Node '" + this.self.id() + "' could not join the cluster", ex);
		}
		if (heartbeat.status() == Status.ID_TAKEN) {
			throw new ClusterConfigurationException(
					"Node id '" + this.self.id() + "' is already used by another live node",
					"Give every node its own cluster.node-id, or remove cluster.node-id to let Cohort derive a "
							+ "unique one. A node restarted with a fixed id can join once the old process's "
							+ "registration has timed out (cluster.node-timeout).");
		}
		apply(heartbeat.members(), false);
	}

	private static void later(ScheduledExecutorService scheduler, Runnable task) {
		try {
			scheduler.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Stopping: there is nothing left to refresh.
		}
	}

	private Heartbeat beat() {
		long sentAt = this.clock.localMillis();
		Heartbeat heartbeat = this.store.heartbeat(this.self, this.nodeTimeout);
		this.clock.observe(heartbeat.serverTimeMillis(), sentAt, this.clock.localMillis());
		this.lastHeartbeatNanos = System.nanoTime();
		this.registered = heartbeat.status() != Status.ID_TAKEN;
		this.heartbeatAnswered = true;
		return heartbeat;
	}

	private void heartbeat() {
		try {
			long previousNanos = this.lastHeartbeatNanos;
			Heartbeat heartbeat = beat();
			boolean interrupted = this.lastHeartbeatNanos - previousNanos > this.nodeTimeout.toNanos();
			if (heartbeat.status() == Status.ID_TAKEN) {
				rateLimitedLog.warn("id-taken", "Another live process has taken this node's id '" + this.self.id()
						+ "'; this node is not a member until that process leaves");
			}
			else if (heartbeat.status() == Status.JOINED) {
				logger.warn("Node '" + this.self.id() + "' had been dropped from the cluster because none of its "
						+ "heartbeats reached Redis for longer than cluster.node-timeout (a Redis failover, a "
						+ "network partition or a long pause); it has joined again");
				this.bus.send(JOINED_TYPE, Envelope.ALL, "{}");
			}
			boolean recovered = heartbeat.status() == Status.JOINED
					|| (interrupted && heartbeat.status() == Status.REFRESHED);
			apply(heartbeat.members(), recovered);
			if (recovered) {
				publish(new MembershipRecoveredEvent(this.self));
			}
		}
		catch (RuntimeException ex) {
			rateLimitedLog.warn("heartbeat", "Heartbeat of node '" + this.self.id() + "' failed: " + ex);
		}
	}

	/**
	 * Takes the member list a heartbeat read as the view, and publishes the changes. A
	 * member that is missing while this node's grace lasts stays in the view.
	 * @param members the live members, as the store lists them
	 * @param recovered whether this heartbeat is the first after this node was out, which
	 * starts a grace
	 */
	private synchronized void apply(List<NodeInfo> members, boolean recovered) {
		boolean grace = grace(recovered);
		Map<String, NodeInfo> previous = this.view;
		Map<String, NodeInfo> current = new LinkedHashMap<>();
		members.forEach((node) -> current.put(node.id(), node));
		List<NodeLeftEvent> left = new ArrayList<>();
		List<String> awaited = new ArrayList<>();
		previous.forEach((id, node) -> {
			if (current.containsKey(id) || id.equals(this.self.id())) {
				return;
			}
			if (this.announcedLeaving.remove(id)) {
				left.add(new NodeLeftEvent(node, Reason.LEFT));
			}
			else if (grace) {
				current.put(id, node);
				awaited.add(id);
			}
			else {
				left.add(new NodeLeftEvent(node, Reason.TIMED_OUT));
			}
		});
		if (recovered && !awaited.isEmpty()) {
			logger.info("Node '" + this.self.id() + "' does not see " + awaited + " after its own heartbeats were "
					+ "interrupted; they have cluster.node-timeout (" + this.nodeTimeout + ") to heartbeat again "
					+ "before this node sees them leave");
		}
		this.view = Map.copyOf(current);
		current.forEach((id, node) -> {
			if (!previous.containsKey(id) && !id.equals(this.self.id())) {
				publish(new NodeJoinedEvent(node));
			}
		});
		left.forEach(this::publish);
		this.announcedLeaving.retainAll(current.keySet());
	}

	/**
	 * Whether members missing from the list are still given time to heartbeat again: for
	 * one node timeout after this node recovered.
	 */
	private boolean grace(boolean recovered) {
		long now = System.nanoTime();
		if (recovered) {
			this.graceEndsNanos = now + this.nodeTimeout.toNanos();
			this.inGrace = true;
		}
		else if (this.inGrace && now - this.graceEndsNanos >= 0) {
			this.inGrace = false;
		}
		return this.inGrace;
	}

	/**
	 * Publishes a membership event. A listener that throws must not lose the other events
	 * of the same change, nor stop heartbeats or the start of the node.
	 */
	private void publish(Object event) {
		try {
			this.events.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.error("A listener of " + event + " failed", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		this.scheduler = null;
		if (scheduler == null) {
			return;
		}
		this.registrations.forEach(ClusterBus.Registration::cancel);
		this.registrations.clear();
		scheduler.execute(this::leave);
		scheduler.shutdown();
		try {
			if (!scheduler.awaitTermination(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				scheduler.shutdownNow();
				logger.warn("Node '" + this.self.id() + "' could not deregister within " + LEAVE_TIMEOUT
						+ "; the others will drop it after cluster.node-timeout");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.view = Map.of();
	}

	/**
	 * Leaves the cluster: says so, removes the registration, and says so again. The first
	 * announcement lets the others tell a clean stop from a crash even when one of their
	 * heartbeats sees the registration gone before the second arrives; the second makes
	 * them look at once.
	 */
	private void leave() {
		try {
			this.bus.send(LEFT_TYPE, Envelope.ALL, "{}");
			this.store.leave(this.self);
			this.bus.send(LEFT_TYPE, Envelope.ALL, "{}");
		}
		catch (RuntimeException ex) {
			logger.warn("Node '" + this.self.id() + "' could not deregister; the others will drop it after "
					+ "cluster.node-timeout: " + ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
