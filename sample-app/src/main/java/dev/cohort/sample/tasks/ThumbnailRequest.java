package dev.cohort.sample.tasks;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ResponseStatusException;

/**
 * The body of {@code POST /tasks/thumbnails}: only {@code image} is required.
 *
 * @param image the image to make a thumbnail of, such as {@code cat.png}
 * @param width the thumbnail's width in pixels, from {@value #MIN_WIDTH} to
 * {@value #MAX_WIDTH}; {@value #DEFAULT_WIDTH} if absent
 * @param work how long the (simulated) work takes, such as {@code 5s}, at most a minute;
 * {@code 200ms} if absent
 * @param fail whether every attempt fails, so that the job ends among the failed jobs;
 * {@code false} if absent
 * @param failAttempts how many attempts fail before one succeeds: {@code 1} succeeds on
 * the second attempt, {@code 3} or more (more than the task's retries) fails for good;
 * {@code 0} if absent
 */
public record ThumbnailRequest(@Nullable String image, @Nullable Integer width, @Nullable String work,
		@Nullable Boolean fail, @Nullable Integer failAttempts) {

	/** The width of a thumbnail whose request names none. */
	public static final int DEFAULT_WIDTH = 128;

	static final int MIN_WIDTH = 16;

	static final int MAX_WIDTH = 1024;

	private static final Duration DEFAULT_WORK = Duration.ofMillis(200);

	private static final Duration MAX_WORK = Duration.ofMinutes(1);

	/**
	 * Checks the request and makes the job's arguments from it.
	 * @return the arguments
	 * @throws ResponseStatusException {@code 400} if the request is not usable
	 */
	ThumbnailJob toJob() {
		if (!StringUtils.hasText(this.image)) {
			throw badRequest("'image' must not be empty");
		}
		int thumbnailWidth = (this.width != null) ? this.width : DEFAULT_WIDTH;
		if (thumbnailWidth < MIN_WIDTH || thumbnailWidth > MAX_WIDTH) {
			throw badRequest("'width' must be from " + MIN_WIDTH + " to " + MAX_WIDTH);
		}
		int attemptsToFail = (this.failAttempts != null) ? this.failAttempts : 0;
		if (attemptsToFail < 0) {
			throw badRequest("'failAttempts' must not be negative");
		}
		return new ThumbnailJob(this.image.trim(), thumbnailWidth, parseWork().toMillis(),
				Boolean.TRUE.equals(this.fail), attemptsToFail);
	}

	private Duration parseWork() {
		if (this.work == null) {
			return DEFAULT_WORK;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(this.work);
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("'work' is not a duration such as 5s");
		}
		if (duration.isNegative() || duration.compareTo(MAX_WORK) > 0) {
			throw badRequest("'work' must be from 0s to " + MAX_WORK.toSeconds() + "s");
		}
		return duration;
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
