package dev.cohort.pubsub;

import java.time.Instant;

/**
 * What a handler may want to know about a message besides its payload.
 *
 * @param id the message id
 * @param type the message type
 * @param origin the id of the node that published it
 * @param target {@code *} for a broadcast, else the id of this node
 * @param sentAt when it was published, on the cluster's clock
 */
public record MessageMetadata(String id, String type, String origin, String target, Instant sentAt) {

}
