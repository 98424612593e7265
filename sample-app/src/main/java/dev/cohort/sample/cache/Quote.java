package dev.cohort.sample.cache;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The quote of a day, as {@link QuoteOfTheDay} computes it and the {@code quotes} cache
 * keeps it.
 *
 * @param date the day
 * @param text the quote
 * @param computedBy the id of the node that computed it: on a hit, possibly another node
 * @param computedAt when it was computed, on the cluster's clock
 */
public record Quote(LocalDate date, String text, String computedBy, Instant computedAt) {

}
