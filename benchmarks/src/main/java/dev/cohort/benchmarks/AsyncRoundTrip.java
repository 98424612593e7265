package dev.cohort.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link RoundTrip} that can also have many round trips in flight.
 */
interface AsyncRoundTrip extends RoundTrip {

	/**
	 * Sends one request without waiting for its reply.
	 * @param sequence a number the reply must echo
	 * @return completes when the reply is back and echoes the sequence, exceptionally
	 * otherwise
	 */
	CompletableFuture<?> start(long sequence);

}
