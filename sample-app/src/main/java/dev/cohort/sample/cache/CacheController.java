package dev.cohort.sample.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Notes and a visit counter that every node shares through {@link ClusterCache}, and the
 * quote of the day through {@code @Cacheable}: whatever one node writes, the others read.
 */
@RestController
@RequestMapping("/cache")
class CacheController {

	private static final String NOTE_PREFIX = "note:";

	private static final String VISITS = "visits";

	private final ClusterCache cache;

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	private final QuoteOfTheDay quoteOfTheDay;

	CacheController(ClusterCache cache, ClusterNodes clusterNodes, ClusterClock clusterClock,
			QuoteOfTheDay quoteOfTheDay) {
		this.cache = cache;
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
		this.quoteOfTheDay = quoteOfTheDay;
	}

	/**
	 * Saves a note, replacing the one the key held.
	 * @param key the note's key
	 * @param ttl how long the note lives ({@code 30s}, {@code 10m}, ...); for ever if
	 * absent
	 * @param request the note, {@code {"text": "..."}}
	 * @return the note as saved
	 */
	@PutMapping("/notes/{key}")
	NoteView saveNote(@PathVariable String key, @RequestParam(required = false) @Nullable String ttl,
			@RequestBody NoteRequest request) {
		if (!StringUtils.hasText(request.text())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'text' must not be empty");
		}
		Duration timeToLive = parseTtl(ttl);
		Note note = new Note(request.text(), this.clusterNodes.self().id(),
				Instant.ofEpochMilli(this.clusterClock.millis()));
		if (timeToLive != null) {
			this.cache.save(NOTE_PREFIX + key, note, timeToLive);
		}
		else {
			this.cache.save(NOTE_PREFIX + key, note);
		}
		return NoteView.of(key, note, timeToLive);
	}

	/**
	 * Loads a note, whichever node saved it.
	 * @param key the note's key
	 * @return the note, or {@code 404} if there is none (or it expired)
	 */
	@GetMapping("/notes/{key}")
	NoteView loadNote(@PathVariable String key) {
		Note note = this.cache.load(NOTE_PREFIX + key, Note.class).orElseThrow(() -> noSuchNote(key));
		return NoteView.of(key, note, this.cache.ttl(NOTE_PREFIX + key).orElse(null));
	}

	/**
	 * Deletes a note.
	 * @param key the note's key
	 * @return {@code 204}, or {@code 404} if there was none
	 */
	@DeleteMapping("/notes/{key}")
	ResponseEntity<Void> deleteNote(@PathVariable String key) {
		if (!this.cache.destroy(NOTE_PREFIX + key)) {
			throw noSuchNote(key);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * Counts a visit. The increment is atomic, so concurrent visits on any nodes are all
	 * counted.
	 * @return the visits so far, this one included
	 */
	@PostMapping("/visits")
	Visits visit() {
		return new Visits(this.cache.increment(VISITS), this.clusterNodes.self().id());
	}

	/**
	 * The visits so far, without counting one: a counter loads as a {@code Long}.
	 * @return the visits so far
	 */
	@GetMapping("/visits")
	Visits visits() {
		return new Visits(this.cache.load(VISITS, Long.class).orElse(0L), this.clusterNodes.self().id());
	}

	/**
	 * The quote of a day, computed by at most one node and then a cache hit on all of
	 * them until the entry expires.
	 * @param date the day, {@code 2030-12-31}; today (UTC, on the cluster's clock) if
	 * absent
	 * @return its quote
	 */
	@GetMapping("/quote")
	Quote quote(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate date) {
		LocalDate day = (date != null) ? date
				: LocalDate.ofInstant(Instant.ofEpochMilli(this.clusterClock.millis()), ZoneOffset.UTC);
		return this.quoteOfTheDay.quote(day);
	}

	private static @Nullable Duration parseTtl(@Nullable String ttl) {
		if (ttl == null) {
			return null;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(ttl);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'ttl' is not a duration such as 30s");
		}
		if (duration.toMillis() <= 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'ttl' must be at least 1ms");
		}
		return duration;
	}

	private static ResponseStatusException noSuchNote(String key) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No note has key '" + key + "'");
	}

	/**
	 * The body of {@code PUT /cache/notes/{key}}.
	 *
	 * @param text the note
	 */
	record NoteRequest(@Nullable String text) {

	}

}
