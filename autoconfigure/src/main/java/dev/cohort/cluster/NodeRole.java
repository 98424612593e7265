package dev.cohort.cluster;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
	 * The lower-case name used in node ids, in configuration and in JSON.
	 * @return the name, such as {@code worker}
	 */
	@JsonValue
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The role of a name, in any case.
	 * @param name the name, such as {@code worker}
	 * @return the role
	 */
	@JsonCreator
	public static NodeRole of(String name) {
		return valueOf(name.toUpperCase(Locale.ROOT));
	}

}
