package dev.cohort.operations;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.cohort.cluster.NodeRole;

/**
 * A live node.
 *
 * @param id the node id
 * @param role its role
 * @param host the host it runs on
 * @param pid its process id
 * @param version the Cohort version it runs
 * @param startedAt when it started
 * @param lastHeartbeat when its last heartbeat reached the store, or {@code null} if
 * unknown
 */
public record NodeOverview(String id, NodeRole role, String host, long pid, String version, Instant startedAt,
		@Nullable Instant lastHeartbeat) {
}
