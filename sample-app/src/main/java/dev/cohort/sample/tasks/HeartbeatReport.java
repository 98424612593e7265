package dev.cohort.sample.tasks;

import java.time.Instant;

/**
 * The latest run of the recurring {@code heartbeat-report} task, kept in the cluster
 * cache under {@code tasks:heartbeat-report} and shown by {@code GET /tasks/report}.
 *
 * @param period the start of the period the run was for: a multiple of
 * {@code sample.report-frequency} since the epoch, the same whichever node ran it
 * @param nodeId the (worker) node that ran it
 * @param liveMembers how many live members that node saw
 * @param attempt which attempt of the run it was, from 1
 * @param ranAt when it ran, on the cluster's clock
 */
public record HeartbeatReport(Instant period, String nodeId, int liveMembers, int attempt, Instant ranAt) {

}
