package dev.cohort.sample.cache;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A note as {@code GET /cache/notes/{key}} shows it.
 *
 * @param key the key in the URL
 * @param text the note
 * @param savedBy the id of the node that saved it
 * @param savedAt when it was saved, on the cluster's clock
 * @param expiresIn how long the note has left to live, or {@code null} if it never
 * expires
 */
public record NoteView(String key, String text, String savedBy, Instant savedAt, @Nullable Duration expiresIn) {

	static NoteView of(String key, Note note, @Nullable Duration expiresIn) {
		return new NoteView(key, note.text(), note.savedBy(), note.savedAt(), expiresIn);
	}

}
