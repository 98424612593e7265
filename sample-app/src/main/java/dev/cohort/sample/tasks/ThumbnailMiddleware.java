package dev.cohort.sample.tasks;

import java.util.Locale;
import java.util.Set;

import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.TaskMiddleware;
import dev.cohort.tasks.TaskRefusedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Task middleware for {@code make-thumbnail} jobs only (ActionHero's task middleware):
 * before a job is enqueued it refuses images of a kind no worker can read, so the caller
 * hears it at once, rather than a worker failing the job later; around each run it puts
 * the job's id and attempt in the logging context ({@code MDC}), so that every line the
 * task logs can be found by job.
 */
@Component
@Order(1)
class ThumbnailMiddleware implements TaskMiddleware {

	static final Set<String> READABLE = Set.of("png", "jpg", "jpeg", "gif", "webp");

	@Override
	public boolean appliesTo(String task) {
		return ThumbnailTasks.MAKE_THUMBNAIL.equals(task);
	}

	@Override
	public JobRequest beforeEnqueue(JobRequest request) {
		if (request.getArgs() instanceof ThumbnailJob job && !READABLE.contains(extension(job.image()))) {
			throw new TaskRefusedException(
					"Cannot make a thumbnail of '" + job.image() + "': only " + READABLE + " images are read");
		}
		return request;
	}

	@Override
	public void aroundRun(JobContext job, @Nullable Object arguments, Run run) throws Exception {
		try (MDC.MDCCloseable id = MDC.putCloseable("jobId", job.jobId());
				MDC.MDCCloseable attempt = MDC.putCloseable("attempt", Integer.toString(job.attempt()))) {
			run.proceed();
		}
	}

	private static String extension(String image) {
		int dot = image.lastIndexOf('.');
		return (dot < 0) ? "" : image.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

}
