package dev.cohort.sample.cache;

import java.time.Instant;

/**
 * A note as it is kept in the cluster cache, as JSON, under {@code note:<key>}.
 *
 * @param text the note
 * @param savedBy the id of the node that saved it
 * @param savedAt when it was saved, on the cluster's clock
 */
public record Note(String text, String savedBy, Instant savedAt) {

}
