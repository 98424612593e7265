package dev.cohort.sample.announcements;

import org.jspecify.annotations.Nullable;

/**
 * The payload of an {@code announcement} message, and the body of
 * {@code POST /announcements}.
 *
 * @param text what is announced
 * @param from who announces it; when a request leaves it out, the id of the node that
 * publishes it
 */
public record Announcement(@Nullable String text, @Nullable String from) {

	/** The message type announcements travel under. */
	public static final String TYPE = "announcement";

}
