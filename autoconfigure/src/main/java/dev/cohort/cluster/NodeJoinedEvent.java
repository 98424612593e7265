package dev.cohort.cluster;

/**
 * Published on every node when it first sees another node as a live member, including the
 * members already present when it starts itself.
 *
 * @param node the node that joined
 */
public record NodeJoinedEvent(NodeInfo node) {

}
