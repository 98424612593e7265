package dev.cohort.operations;

import java.util.List;

import dev.cohort.tasks.JobInfo;

/**
 * A worker node and the jobs it runs now.
 *
 * @param nodeId the node
 * @param running its running jobs, arguments masked
 */
public record WorkerOverview(String nodeId, List<JobInfo> running) {
}
