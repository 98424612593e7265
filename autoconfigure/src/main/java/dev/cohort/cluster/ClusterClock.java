package dev.cohort.cluster;

/**
 * The cluster's clock: this machine's clock corrected by its observed offset to the Redis
 * server's clock, so that timestamps compared across nodes do not depend on each
 * machine's time being right. With the local transport the offset stays zero.
 */
public class ClusterClock {

	private volatile long offsetMillis;

	/**
	 * The current time on the cluster's clock.
	 * @return milliseconds since the epoch
	 */
	public long millis() {
		return System.currentTimeMillis() + this.offsetMillis;
	}

	/**
	 * Records the server's time, read by a call that was sent and answered at the given
	 * local times. The server read its clock, on average, half-way between the two.
	 * @param serverMillis the server's time
	 * @param sentAtMillis local time when the call was sent
	 * @param receivedAtMillis local time when the answer arrived
	 */
	public void observe(long serverMillis, long sentAtMillis, long receivedAtMillis) {
		this.offsetMillis = serverMillis - (sentAtMillis + receivedAtMillis) / 2;
	}

	/**
	 * The current correction applied to this machine's clock.
	 * @return the offset in milliseconds
	 */
	public long offsetMillis() {
		return this.offsetMillis;
	}

}
