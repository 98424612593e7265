package dev.cohort.chat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a message said in a room looks like to its recipients (ActionHero's
 * {@code generateMessagePayload}): the fields of the {@code say} frame beside its
 * {@code event}, which stays {@code "say"} (a field named {@code event} is ignored). It
 * runs on each recipient's node, after the deliver middleware, once per distinct frame
 * (once for all the members of a node that get the same message, once more for the
 * sender's own copy). A payload that throws costs the members it was built for that
 * message, and is logged; the node goes on.
 * <p>
 * The {@link #DEFAULT default} bean writes the frame of the protocol ({@code room},
 * {@code user}, {@code from} when the recipient may see it, {@code message},
 * {@code sentAt} in ms); a bean of your own replaces it.
 */
@FunctionalInterface
public interface RoomMessagePayload {

	/** The protocol's own frame. */
	RoomMessagePayload DEFAULT = (said) -> {
		Map<String, @Nullable Object> payload = new LinkedHashMap<>();
		payload.put("room", said.room());
		payload.put("user", said.user());
		if (said.from() != null) {
			payload.put("from", said.from());
		}
		payload.put("message", said.message());
		payload.put("sentAt", said.sentAt().toEpochMilli());
		return payload;
	};

	/**
	 * The fields of a {@code say} frame.
	 * @param message the message and its sender
	 * @return the fields, written with the application's JSON mapper
	 */
	Map<String, @Nullable Object> payload(RoomMessage message);

}
