package dev.cohort.cluster;

/**
 * What a node does in the cluster. Servers hold client connections; workers run tasks and
 * the scheduler; {@code ALL} does both, as a solitary node does.
 */
public enum NodeRole {

	/** Serves clients (HTTP, WebSocket); runs no tasks. */
	SERVER,

	/** Runs tasks and the scheduler; serves no clients. */
	WORKER,

	/** Serves clients and runs tasks. */
	ALL;

	/**
	 * Whether a node of this role runs tasks and the scheduler.
	 * @return {@code true} for {@link #WORKER} and {@link #ALL}
	 */
	public boolean runsTasks() {
		return this != SERVER;
	}

	/**
	 * Whether a node of this role serves clients.
	 * @return {@code true} for {@link #SERVER} and {@link #ALL}
	 */
	public boolean servesClients() {
		return this != WORKER;
	}

	/**
	 * The lower-case name used in node ids and in configuration.
	 * @return the name, such as {@code worker}
	 */
	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
