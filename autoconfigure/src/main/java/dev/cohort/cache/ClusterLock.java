package dev.cohort.cache;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A lock taken with {@link ClusterCache#tryLock}: the only handle that can extend or
 * release it. Its {@link #fencingToken() fencing token} is larger than that of every
 * earlier holder of the same name, so a resource that remembers the largest token it saw
 * can refuse a holder whose lock expired while it was paused.
 * <p>
 * Closing the handle releases the lock, so it fits try-with-resources.
 */
public final class ClusterLock implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClusterLock.class);

	private final CacheStore store;

	private final String name;

	private final String token;

	private final long fencingToken;

	private final Duration ttl;

	private final ScheduledExecutorService renewals;

	private volatile @Nullable ScheduledFuture<?> renewal;

	private volatile boolean lost;

	private volatile boolean released;

	/**
	 * Creates the handle of a lock the store has just given. The cache creates them;
	 * applications get theirs from {@link ClusterCache#tryLock}.
	 * @param store the store that holds the lock
	 * @param name the lock's name
	 * @param token this handle's own token, which the store knows the holder by
	 * @param fencingToken the fencing token the store gave
	 * @param ttl the lock's time to live, also used by automatic renewal
	 * @param renewals runs automatic renewals
	 */
	public ClusterLock(CacheStore store, String name, String token, long fencingToken, Duration ttl,
			ScheduledExecutorService renewals) {
		this.store = store;
		this.name = name;
		this.token = token;
		this.fencingToken = fencingToken;
		this.ttl = ttl;
		this.renewals = renewals;
	}

	public String name() {
		return this.name;
	}

	/**
	 * The number this taking of the lock was given, larger than any given before for the
	 * same name. Pass it to the resource the lock protects.
	 * @return the fencing token
	 */
	public long fencingToken() {
		return this.fencingToken;
	}

	/**
	 * Whether this handle still holds the lock, asked of the store. Nothing is changed.
	 * @return whether it is held
	 */
	public boolean isHeld() {
		// The handle's own token, not the fencing token: a failover that loses the
		// increment of the fencing counter with the lock hands the same number out again.
		return this.store.holds(this.name, this.token);
	}

	/**
	 * Whether automatic renewal found the lock gone (expired and perhaps taken by
	 * another).
	 * @return whether the lock was lost
	 */
	public boolean isLost() {
		return this.lost;
	}

	/**
	 * Gives the lock a new time to live, if this handle still holds it.
	 * @param ttl the new time to live
	 * @return whether it was extended
	 */
	public boolean extend(Duration ttl) {
		Assert.isTrue(ttl.toMillis() >= 1, "'ttl' must be at least one millisecond");
		return this.store.extend(this.name, this.token, ttl);
	}

	/**
	 * Renews the lock every third of its time to live for as long as this handle holds it
	 * and this node runs. If the lock is found gone, renewal stops and {@link #isLost()}
	 * turns true.
	 * @return this handle
	 */
	public synchronized ClusterLock renewAutomatically() {
		if (this.renewal == null) {
			long period = Math.max(1, this.ttl.toMillis() / 3);
			this.renewal = this.renewals.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
		}
		return this;
	}

	private void renew() {
		try {
			// A renewal already under way when the holder unlocks finds the lock gone:
			// that is a release, not a loss.
			if (!this.store.extend(this.name, this.token, this.ttl) && !this.released) {
				this.lost = true;
				stopRenewal();
				logger.warn("Lock '" + this.name + "' (fencing token " + this.fencingToken
						+ ") was lost before it was released: it expired or was taken by another holder");
			}
		}
		catch (RuntimeException ex) {
			// The store may be failing over: try again at the next period, the lock's
			// time to live covers two more attempts.
			logger.debug("Could not renew lock '" + this.name + "'", ex);
		}
	}

	/**
	 * Releases the lock, if this handle still holds it, and stops renewing it.
	 * @return whether it was released (false if it had expired)
	 */
	public boolean unlock() {
		this.released = true;
		stopRenewal();
		return this.store.unlock(this.name, this.token);
	}

	@Override
	public void close() {
		unlock();
	}

	private synchronized void stopRenewal() {
		ScheduledFuture<?> scheduled = this.renewal;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	@Override
	public String toString() {
		return "ClusterLock[" + this.name + ", fencing token " + this.fencingToken + "]";
	}

}
