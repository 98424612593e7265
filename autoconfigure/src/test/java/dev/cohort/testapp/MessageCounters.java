package dev.cohort.testapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads a node's message counters, tagged by message type.
 */
public final class MessageCounters {

	private MessageCounters() {
	}

	/**
	 * The count of a counter for one message type.
	 * @param registry the node's registry
	 * @param name the counter's name, such as {@code cohort.messages.handler.failures}
	 * @param type the message type
	 * @return the count, zero when the counter does not exist yet
	 */
	public static double count(MeterRegistry registry, String name, String type) {
		Counter counter = registry.find(name).tag("type", type).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
