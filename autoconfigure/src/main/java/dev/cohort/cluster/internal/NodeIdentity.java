package dev.cohort.cluster.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeRole;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.util.StringUtils;

/**
 * Builds this node's registration. A node id that is not configured is derived as
 * {@code <application name>-<role>-<n>}, with {@code n} drawn from a counter in the
 * store, so ids are readable, unique across the cluster and never reused.
 */
public final class NodeIdentity {

	/** What may not stand in a node id (see cluster.node-id). */
	private static final Pattern UNUSABLE = Pattern.compile("[^A-Za-z0-9._:-]");

	private NodeIdentity() {
	}

	/**
	 * Builds this node's registration.
	 * @param configuredId the configured node id, or {@code null} to derive one
	 * @param applicationName the application's name, or {@code null}
	 * @param role the node's role
	 * @param store the membership store, which numbers derived ids and tells the time
	 * @return the registration
	 * @throws ClusterConfigurationException if the store cannot be reached
	 */
	public static NodeInfo create(@Nullable String configuredId, @Nullable String applicationName, NodeRole role,
			MembershipStore store) {
		try {
			String id = StringUtils.hasText(configuredId) ? configuredId : derive(applicationName, role, store);
			return new NodeInfo(id, role, hostName(), ProcessHandle.current().pid(), Instant.ofEpochMilli(store.time()),
					version(), UUID.randomUUID().toString());
		}
		catch (DataAccessException ex) {
			throw ClusterConfigurationException.redisUnreachable("Cohort could not register this node", ex);
		}
	}

	/**
	 * Derives an id that no registered node has. The counter alone would do, unless it
	 * was lost (a Redis restart without persistence, eviction) while nodes still live.
	 */
	private static String derive(@Nullable String applicationName, NodeRole role, MembershipStore store) {
		String name = StringUtils.hasText(applicationName) ? UNUSABLE.matcher(applicationName).replaceAll("-")
				: "cohort";
		String id;
		do {
			id = name + "-" + role.label() + "-" + store.nextNodeNumber();
		}
		while (store.isRegistered(id));
		return id;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

	private static String version() {
		String version = NodeIdentity.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "development";
	}

}
