package dev.cohort.sample.cluster;

import java.util.List;

/**
 * The answer of {@code GET /cluster}.
 *
 * @param self this node
 * @param members the live members, this node included, ordered by id
 */
public record ClusterView(NodeView self, List<NodeView> members) {

}
