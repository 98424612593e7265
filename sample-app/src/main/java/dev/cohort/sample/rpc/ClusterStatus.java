package dev.cohort.sample.rpc;

import java.util.List;

/**
 * The answer of {@code GET /rpc/status}.
 *
 * @param nodes what each node answered, ordered by node id: every node that was a live
 * member, as this node saw them, when the broadcast started
 * @param allSucceeded whether every node answered with its status
 */
public record ClusterStatus(List<NodeOutcome> nodes, boolean allSucceeded) {

}
