package dev.cohort.sample.cluster;

import java.time.Instant;

import dev.cohort.cluster.NodeInfo;

/**
 * A member of the cluster as {@code GET /cluster} shows it.
 *
 * @param id the node id
 * @param role the node's role: {@code server}, {@code worker} or {@code all}
 * @param host the host the node runs on
 * @param pid the node's process id
 * @param startedAt when the node started
 */
public record NodeView(String id, String role, String host, long pid, Instant startedAt) {

	static NodeView of(NodeInfo node) {
		return new NodeView(node.id(), node.role().label(), node.host(), node.pid(), node.startedAt());
	}

}
