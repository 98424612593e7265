package dev.cohort.operations;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cohort.cache.LockInfo;
import dev.cohort.tasks.QueueStats;

/**
 * The whole cluster at a glance, read by one node.
 *
 * @param readAt when it was read, on the Redis server's clock
 * @param self the id of the node that read it
 * @param nodes the live nodes, ordered by id
 * @param queues every queue, ordered by name
 * @param workers the worker nodes and what each runs
 * @param recurring the recurring tasks this node defines, ordered by name
 * @param locks the cache locks held, ordered by name
 * @param rooms the chat rooms and their member counts, ordered by name
 * @param connectionsPerNode how many WebSocket connections each live node holds
 */
public record ClusterOverview(Instant readAt, String self, List<NodeOverview> nodes, List<QueueStats> queues,
		List<WorkerOverview> workers, List<RecurringTaskOverview> recurring, List<LockInfo> locks,
		List<RoomOverview> rooms, Map<String, Long> connectionsPerNode) {
}
