package dev.cohort.cluster;

/**
 * Published on a node when it heartbeats again after it could not for longer than the
 * node timeout, or when its heartbeat finds that it had been dropped and joins again: a
 * Redis outage or failover, a network partition, a long pause. The other nodes may have
 * seen it leave meanwhile, and Redis may have lost what it held; state that this node
 * keeps in Redis for itself may need to be written again.
 *
 * @param node this node
 */
public record MembershipRecoveredEvent(NodeInfo node) {

}
