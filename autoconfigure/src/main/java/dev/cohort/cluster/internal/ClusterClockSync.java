package dev.cohort.cluster.internal;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.message.internal.ClusterBus;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Sets the {@link ClusterClock} to the store's clock before the {@link ClusterBus}
 * subscribes, so that the first messages this node receives are judged by the cluster's
 * time and not by this machine's, which may be far off: a node whose clock ran behind
 * would otherwise refuse the others' fresh messages as stale until its first heartbeat.
 * It reads the store's time a few times and keeps the reading with the shortest round
 * trip; each read is bounded by the Redis client's command timeout. If the store cannot
 * be reached the node fails to start, as it would a moment later when it joins.
 */
public class ClusterClockSync implements SmartLifecycle {

	/** Lifecycle phase: before the bus. */
	public static final int PHASE = ClusterBus.PHASE - 1;

	/** How many times the store's clock is read. */
	static final int READS = 3;

	private final ClusterClock clock;

	private final MembershipStore store;

	private final String nodeId;

	private volatile boolean running;

	/**
	 * Creates the synchronisation.
	 * @param clock the clock to set
	 * @param store whose clock to read
	 * @param nodeId this node's id, for the message if the store cannot be reached
	 */
	public ClusterClockSync(ClusterClock clock, MembershipStore store, String nodeId) {
		this.clock = clock;
		this.store = store;
		this.nodeId = nodeId;
	}

	@Override
	public void start() {
		try {
			for (int i = 0; i < READS; i++) {
				long sentAt = this.clock.localMillis();
				long serverTime = this.store.time();
				this.clock.observe(serverTime, sentAt, this.clock.localMillis());
			}
		}
		catch (DataAccessException ex) {
			throw ClusterConfigurationException
				.redisUnreachable("Node '" + this.nodeId + "' could not read the Redis server's clock", ex);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
