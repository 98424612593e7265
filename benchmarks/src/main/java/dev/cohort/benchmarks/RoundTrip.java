package dev.cohort.benchmarks;

/**
 * One way of making a request/reply round trip between two nodes; each call blocks until
 * the reply is back.
 */
interface RoundTrip extends AutoCloseable {

	/**
	 * Sends one request and waits for its reply.
	 * @param sequence a number the reply must echo
	 * @throws Exception if the reply does not come
	 */
	void roundTrip(long sequence) throws Exception;

	@Override
	void close();

}
