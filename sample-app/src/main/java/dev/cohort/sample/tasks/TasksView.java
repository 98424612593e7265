package dev.cohort.sample.tasks;

import java.util.List;
import java.util.Map;

import dev.cohort.tasks.JobInfo;
import dev.cohort.tasks.QueueStats;

/**
 * The answer of {@code GET /tasks}: the whole cluster's queues, as any node sees them.
 *
 * @param nodeId the node that answered
 * @param runsTasks whether that node runs jobs itself ({@code cluster.role}
 * {@code worker} or {@code all}); every node can enqueue and inspect
 * @param queues the counts of every queue a job was ever enqueued to, by name
 * @param workingOn the jobs running now, by the id of the node that runs them
 */
public record TasksView(String nodeId, boolean runsTasks, List<QueueStats> queues,
		Map<String, List<JobInfo>> workingOn) {

}
