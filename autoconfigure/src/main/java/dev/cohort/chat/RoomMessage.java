package dev.cohort.chat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message said in a room, as a {@link RoomMessagePayload} gets it for one recipient.
 *
 * @param room the room
 * @param user the sender's user, or {@code null} for an anonymous client or the server
 * @param from the sender's connection id, or {@code null} for the server and for
 * recipients that may not see it (another client's, unless
 * {@code cluster.connections.show-connection-ids} is on)
 * @param message what is said, after the say and deliver middleware (JSON mapped to maps,
 * lists and values)
 * @param sentAt when it was said
 */
public record RoomMessage(String room, @Nullable String user, @Nullable String from, Object message, Instant sentAt) {

}
