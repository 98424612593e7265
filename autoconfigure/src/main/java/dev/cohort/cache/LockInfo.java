package dev.cohort.cache;

import java.time.Duration;

/**
 * A held lock, as anyone may see it. The holder's token is not shown: only the handle
 * that took the lock can release it.
 *
 * @param name the lock's name
 * @param nodeId the node that holds it
 * @param fencingToken the number given when it was taken
 * @param ttl how long until it expires unless extended
 */
public record LockInfo(String name, String nodeId, long fencingToken, Duration ttl) {
}
