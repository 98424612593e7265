package dev.cohort.sample.announcements;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An announcement as this node received it.
 *
 * @param text what was announced
 * @param from who announced it
 * @param origin the id of the node that published it
 * @param target {@code *} for a broadcast, else the id of this node
 * @param sentAt when it was published, on the cluster's clock
 * @param receivedAt when this node received it, on this node's clock
 */
public record ReceivedAnnouncement(@Nullable String text, @Nullable String from, String origin, String target,
		Instant sentAt, Instant receivedAt) {

}
