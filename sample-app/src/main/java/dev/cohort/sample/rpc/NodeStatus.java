package dev.cohort.sample.rpc;

import java.time.Duration;

/**
 * What the {@code node-status} RPC method answers: a small snapshot of one node. It
 * travels as JSON, so the caller gets it back as this record.
 *
 * @param nodeId the node's id
 * @param role the node's role: {@code server}, {@code worker} or {@code all}
 * @param uptime how long ago the node started, on the cluster's clock
 * @param freeMemoryBytes the free memory of the node's JVM heap
 * @param announcementsReceived how many announcements the node received since it started
 */
public record NodeStatus(String nodeId, String role, Duration uptime, long freeMemoryBytes,
		long announcementsReceived) {

}
