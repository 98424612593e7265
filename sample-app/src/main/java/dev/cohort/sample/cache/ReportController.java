package dev.cohort.sample.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Makes a report that only one node at a time may make, under the cluster lock
 * {@value #LOCK}.
 * <p>
 * The lock lives {@link #LOCK_TTL} unless renewed, so a node that dies while holding it
 * blocks the others for that long at most; {@code renewAutomatically()} keeps it for as
 * long as the work takes. Its fencing token grows with every taking of the lock, and the
 * report is written only if its token is larger than that of the report already kept: a
 * holder that was paused until its lock expired cannot overwrite a later holder's report.
 */
@RestController
@RequestMapping("/cache/report")
class ReportController {

	/** The lock's name. */
	static final String LOCK = "report";

	/** Where the last report is kept. */
	static final String LAST_REPORT = "report:last";

	/** How long the lock lives unless renewed. */
	static final Duration LOCK_TTL = Duration.ofSeconds(5);

	/** How long a request waits for another node's report to finish. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	/** How long the work takes. */
	private static final Duration WORK = Duration.ofMillis(200);

	private final ClusterCache cache;

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	ReportController(ClusterCache cache, ClusterNodes clusterNodes, ClusterClock clusterClock) {
		this.cache = cache;
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
	}

	/**
	 * Takes the lock, waiting up to {@link #MAX_WAIT} for its holder, makes the report
	 * and releases the lock.
	 * @return the report; {@code 409} if the lock was still held when the wait ran out,
	 * or if it was lost and a later holder has already written its report
	 * @throws InterruptedException if interrupted while working
	 */
	@PostMapping
	Report makeReport() throws InterruptedException {
		Optional<ClusterLock> taken = this.cache.tryLock(LOCK, LOCK_TTL, MAX_WAIT);
		if (taken.isEmpty()) {
			String holder = this.cache.checkLock(LOCK).map((lock) -> " by node '" + lock.nodeId() + "'").orElse("");
			throw new ResponseStatusException(HttpStatus.CONFLICT, "Another report is being made: lock '" + LOCK
					+ "' was held" + holder + " for longer than " + MAX_WAIT.toMillis() + "ms; try again later");
		}
		try (ClusterLock lock = taken.get().renewAutomatically()) {
			Instant startedAt = now();
			Thread.sleep(WORK.toMillis());
			Report report = new Report(lock.fencingToken(), this.clusterNodes.self().id(), startedAt, now());
			Report kept = this.cache.update(LAST_REPORT, Report.class,
					(last) -> (last == null || last.fencingToken() < report.fencingToken()) ? report : last);
			if (!report.equals(kept)) {
				throw new ResponseStatusException(HttpStatus.CONFLICT, "Lock '" + LOCK + "' (fencing token "
						+ report.fencingToken() + ") was lost: a later holder has written its report");
			}
			return report;
		}
	}

	/**
	 * The last report, whichever node made it.
	 * @return the report, or {@code 404} if none was made
	 */
	@GetMapping
	Report lastReport() {
		return this.cache.load(LAST_REPORT, Report.class)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No report was made yet"));
	}

	private Instant now() {
		return Instant.ofEpochMilli(this.clusterClock.millis());
	}

}
