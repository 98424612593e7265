package dev.cohort.connections;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket connection as its holding node describes it.
 *
 * @param connectionId the connection's id, unique in the cluster
 * @param nodeId the node that holds it
 * @param remoteAddress the client's address as the node sees it
 * @param connectedAt when it connected
 * @param attributes what the application attached to it (for example {@code auth})
 * @param rooms the rooms it is in
 */
public record ConnectionInfo(String connectionId, String nodeId, String remoteAddress, Instant connectedAt,
		Map<String, Object> attributes, List<String> rooms) {
}
