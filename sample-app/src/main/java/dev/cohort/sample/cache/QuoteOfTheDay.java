package dev.cohort.sample.cache;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Component;

/**
 * Computes the quote of a day, slowly, at most once per day for the whole cluster: the
 * result goes to the {@value #CACHE} cache, which lives in the cluster cache (entry
 * {@code quotes::<date>}), so the node that asks next, whichever it is, gets it from
 * there without calling this method. {@code Quote} is read back from the cache as JSON:
 * Cohort reads it because this method declares it as its return type.
 */
@Component
public class QuoteOfTheDay {

	/** The name of the cache, whose time to live {@code application.yml} sets. */
	public static final String CACHE = "quotes";

	private static final Log logger = LogFactory.getLog(QuoteOfTheDay.class);

	private static final List<String> QUOTES = List.of("Simplicity is prerequisite for reliability.",
			"Make it work, make it right, make it fast.",
			"The cheapest, fastest and most reliable components are those that aren't there.",
			"There are two hard things in computer science: cache invalidation and naming things.",
			"Premature optimization is the root of all evil.");

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	private final AtomicLong computations = new AtomicLong();

	QuoteOfTheDay(ClusterNodes clusterNodes, ClusterClock clusterClock) {
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
	}

	/**
	 * The quote of a day. Called only on a cache miss: a cached quote comes back as it
	 * was computed, with the id of the node that computed it.
	 * @param date the day
	 * @return its quote
	 */
	@Cacheable(CACHE)
	public Quote quote(LocalDate date) {
		try {
			// The expensive part.
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while computing the quote of " + date, ex);
		}
		this.computations.incrementAndGet();
		String text = QUOTES.get((int) Math.floorMod(date.toEpochDay(), (long) QUOTES.size()));
		logger.info("Computed the quote of " + date + " on this node");
		return new Quote(date, text, this.clusterNodes.self().id(), Instant.ofEpochMilli(this.clusterClock.millis()));
	}

	/**
	 * How many times this node computed a quote, that is how many misses it had.
	 * @return the count
	 */
	public long computations() {
		return this.computations.get();
	}

}
