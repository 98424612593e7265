package dev.cohort.sample.cache;

/**
 * The answer of {@code POST /cache/visits} and {@code GET /cache/visits}.
 *
 * @param count the visits counted by every node together
 * @param nodeId the node that answered
 */
public record Visits(long count, String nodeId) {

}
