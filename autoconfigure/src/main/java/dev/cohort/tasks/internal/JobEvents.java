package dev.cohort.tasks.internal;

import dev.cohort.internal.RateLimitedLog;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the worker's job events ({@link dev.cohort.tasks.JobStartedEvent} and the
 * others) as Spring application events. A listener that throws is logged, at a limited
 * rate, and never stops the worker: the job's run and its end go on as if no one
 * listened.
 */
final class JobEvents {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(JobEvents.class), 10_000);

	private final ApplicationEventPublisher publisher;

	JobEvents(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	void publish(Object event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			log.warn("listener:" + event.getClass().getSimpleName(),
					"A listener of " + event.getClass().getSimpleName() + " failed; the worker goes on: " + ex);
		}
	}

}
