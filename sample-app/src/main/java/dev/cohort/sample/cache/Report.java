package dev.cohort.sample.cache;

import java.time.Instant;

/**
 * A report made by {@code POST /cache/report} under the {@code report} lock, and kept in
 * the cluster cache under {@code report:last}.
 *
 * @param fencingToken the fencing token of the lock the report was made under, larger
 * than that of every earlier report
 * @param nodeId the node that made it
 * @param startedAt when the work started, on the cluster's clock
 * @param finishedAt when it finished, on the cluster's clock
 */
public record Report(long fencingToken, String nodeId, Instant startedAt, Instant finishedAt) {

}
