package dev.cohort.chat;

import java.time.Instant;

/**
 * A member of a room, as it is shown to anyone: no attributes, which may be private.
 *
 * @param connectionId the member's connection
 * @param nodeId the node that holds it
 * @param joinedAt when it joined
 */
public record RoomMember(String connectionId, String nodeId, Instant joinedAt) {
}
