package dev.cohort.sample.tasks;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ResponseStatusException;

/**
 * The body of {@code POST /tasks/thumbnails/batch}: the images to make a thumbnail of,
 * one {@code make-thumbnail} job each, at the default width.
 *
 * @param images the images, such as {@code ["a.png", "b.png"]}: from 1 to
 * {@value #MAX_IMAGES}
 */
public record ThumbnailBatchRequest(@Nullable List<@Nullable String> images) {

	/** The most images one request may name. */
	public static final int MAX_IMAGES = 1000;

	/**
	 * Checks the request and makes the jobs' arguments from it, in the images' order.
	 * @return the arguments, one for each image
	 * @throws ResponseStatusException {@code 400} if the request is not usable
	 */
	List<ThumbnailJob> toJobs() {
		if (this.images == null || this.images.isEmpty()) {
			throw badRequest("'images' must name at least one image");
		}
		if (this.images.size() > MAX_IMAGES) {
			throw badRequest("'images' names " + this.images.size() + " images, more than " + MAX_IMAGES
					+ "; send them in several requests");
		}
		List<ThumbnailJob> jobs = new ArrayList<>(this.images.size());
		for (int i = 0; i < this.images.size(); i++) {
			String image = this.images.get(i);
			if (!StringUtils.hasText(image)) {
				throw badRequest("'images[" + i + "]' must not be empty");
			}
			jobs.add(new ThumbnailRequest(image, null, null, null, null).toJob());
		}
		return jobs;
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
