package dev.cohort.sample.tasks;

import dev.cohort.tasks.JobFailedEvent;
import dev.cohort.tasks.JobStalledEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Where an error reporter or an audit log would hook in: the worker publishes an event
 * when a job fails for good, and when a job stalls (its worker died or hung). The events
 * carry no arguments, so no secret reaches a reporter by way of them. Listeners run on
 * the worker's threads: a slow reporter should hand the work over ({@code @Async}).
 */
@Component
class FailedJobReporter {

	private static final Log logger = LogFactory.getLog(FailedJobReporter.class);

	@EventListener
	void failed(JobFailedEvent event) {
		logger.info("Report: job " + event.jobId() + " of task '" + event.task() + "' failed for good ("
				+ event.reason() + ") after " + event.attempt() + " attempt(s) on " + event.node());
	}

	@EventListener
	void stalled(JobStalledEvent event) {
		logger.info("Report: job " + event.jobId() + " of task '" + event.task() + "' stalled on " + event.lostBy());
	}

}
