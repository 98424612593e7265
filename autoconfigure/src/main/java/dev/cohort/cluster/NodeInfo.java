package dev.cohort.cluster;

import java.time.Instant;

import org.springframework.util.Assert;

/**
 * What a node publishes about itself when it registers.
 *
 * @param id the node id, unique across the cluster while the node lives
 * @param role the node's role
 * @param host the host name the node runs on
 * @param pid the operating system process id
 * @param startedAt when the node started, on the Redis server's clock
 * @param version the Cohort version the node runs
 * @param instance a random id of this process start, which tells two processes that claim
 * the same node id apart
 */
public record NodeInfo(String id, NodeRole role, String host, long pid, Instant startedAt, String version,
		String instance) {

	public NodeInfo {
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(role, "'role' must not be null");
		Assert.notNull(startedAt, "'startedAt' must not be null");
		Assert.hasText(instance, "'instance' must not be empty");
	}

}
