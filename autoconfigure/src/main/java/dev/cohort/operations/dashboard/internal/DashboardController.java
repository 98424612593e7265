package dev.cohort.operations.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.ClusterOverview;
import dev.cohort.operations.dashboard.DashboardAccess;
import dev.cohort.tasks.QueueHistory;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's page, its assets and its JSON API, under
 * {@code cluster.dashboard.path}. Everything goes through {@link ClusterOperations}; the
 * {@link DashboardInterceptor} has let the request in and names its actor.
 * <p>
 * Reads are GETs under {@code <path>/api}; writes are POSTs there and answer
 * {@code {"done": true|false}} for one item or {@code {"count": n}} for many.
 */
@RestController
@RequestMapping("${cluster.dashboard.path:/cohort}")
public class DashboardController {

	/** Most failed jobs a page lists, and most job ids a write of selected jobs takes. */
	static final int MAX_COUNT = 500;

	private static final String ASSETS = "dev/cohort/operations/dashboard/static/";

	private static final Map<String, MediaType> ASSET_TYPES = Map.of("dashboard.js",
			MediaType.parseMediaType("text/javascript;charset=UTF-8"), "dashboard.css",
			MediaType.parseMediaType("text/css;charset=UTF-8"));

	// Only the page's own script and style run: data from the cluster that slipped into
	// the markup could not run as a script.
	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
			+ "style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
			+ "frame-ancestors 'none'; base-uri 'none'";

	private final ClusterOperations operations;

	private final DashboardAccess access;

	/**
	 * Creates the controller.
	 * @param operations what it shows and changes
	 * @param access who may use it, and the CSRF token the page sends
	 */
	public DashboardController(ClusterOperations operations, DashboardAccess access) {
		this.operations = operations;
		this.access = access;
	}

	@GetMapping
	ResponseEntity<Void> root(HttpServletRequest request) {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(request.getRequestURI() + "/")).build();
	}

	@GetMapping("/")
	ResponseEntity<byte[]> page() throws IOException {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Frame-Options", "DENY")
			.body(read("index.html"));
	}

	@GetMapping("/assets/{name}")
	ResponseEntity<byte[]> asset(@PathVariable String name) throws IOException {
		MediaType type = ASSET_TYPES.get(name);
		if (type == null) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok().contentType(type).body(read(name));
	}

	@GetMapping("/api/csrf")
	Map<String, Object> csrf(HttpServletRequest request, @RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		Map<String, Object> session = new LinkedHashMap<>();
		session.put("user", actor);
		session.put("writeHeader", DashboardInterceptor.WRITE_HEADER);
		DashboardAccess.Csrf csrf = this.access.csrf(request);
		if (csrf != null) {
			session.put("headerName", csrf.headerName());
			session.put("token", csrf.token());
		}
		return session;
	}

	@GetMapping("/api/overview")
	ClusterOverview overview() {
		return this.operations.overview();
	}

	@GetMapping("/api/nodes/{nodeId}")
	ResponseEntity<?> node(@PathVariable String nodeId) {
		return found(this.operations.node(nodeId).orElse(null), "No live node '" + nodeId + "'");
	}

	@GetMapping("/api/queues/{queue}")
	ResponseEntity<?> queue(@PathVariable String queue, @RequestParam(defaultValue = "0") int from,
			@RequestParam(defaultValue = "50") int count) {
		check(from >= 0, "'from' must be 0 or more");
		check(count > 0 && count <= MAX_COUNT, "'count' must be between 1 and " + MAX_COUNT);
		return found(this.operations.queue(queue, from, count).orElse(null), "No queue '" + queue + "'");
	}

	@GetMapping("/api/queues/{queue}/{list:waiting|delayed|failed}")
	List<?> page(@PathVariable String queue, @PathVariable String list, @RequestParam(defaultValue = "0") int from,
			@RequestParam(defaultValue = "50") int count) {
		check(from >= 0, "'from' must be 0 or more");
		check(count > 0 && count <= MAX_COUNT, "'count' must be between 1 and " + MAX_COUNT);
		return switch (list) {
			case "waiting" -> this.operations.waiting(queue, from, count);
			case "delayed" -> this.operations.delayed(queue, from, count);
			default -> this.operations.failed(queue, from, count);
		};
	}

	@GetMapping("/api/queues/{queue}/history")
	QueueHistory history(@PathVariable String queue, @RequestParam(defaultValue = "hour") String window) {
		Duration duration = switch (window) {
			case "hour" -> Duration.ofHours(1);
			case "day" -> Duration.ofDays(1);
			default -> throw new IllegalArgumentException("'window' must be 'hour' or 'day'");
		};
		return this.operations.history(queue, duration);
	}

	@GetMapping("/api/room")
	ResponseEntity<?> room(@RequestParam String name) {
		return found(this.operations.room(name).orElse(null), "No room '" + name + "'");
	}

	@PostMapping("/api/jobs/{jobId}/retry")
	Map<String, Object> retry(@PathVariable String jobId, @RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.retryFailed(jobId, actor));
	}

	@PostMapping("/api/jobs/{jobId}/delete")
	Map<String, Object> delete(@PathVariable String jobId, @RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.deleteFailed(jobId, actor));
	}

	@PostMapping("/api/jobs/{jobId}/cancel")
	Map<String, Object> cancel(@PathVariable String jobId, @RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.cancelJob(jobId, actor));
	}

	@PostMapping("/api/jobs/retry")
	Map<String, Object> retrySelected(@RequestBody JobIds body,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return count(body.checked().stream().filter((jobId) -> this.operations.retryFailed(jobId, actor)).count());
	}

	@PostMapping("/api/jobs/delete")
	Map<String, Object> deleteSelected(@RequestBody JobIds body,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return count(body.checked().stream().filter((jobId) -> this.operations.deleteFailed(jobId, actor)).count());
	}

	@PostMapping("/api/queues/{queue}/failed/retry-all")
	Map<String, Object> retryAll(@PathVariable String queue,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return count(this.operations.retryAllFailed(queue, actor));
	}

	@PostMapping("/api/queues/{queue}/failed/delete-all")
	Map<String, Object> deleteAll(@PathVariable String queue,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return count(this.operations.deleteAllFailed(queue, actor));
	}

	@PostMapping("/api/queues/{queue}/pause")
	Map<String, Object> pauseQueue(@PathVariable String queue,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.pauseQueue(queue, actor));
	}

	@PostMapping("/api/queues/{queue}/resume")
	Map<String, Object> resumeQueue(@PathVariable String queue,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.resumeQueue(queue, actor));
	}

	@PostMapping("/api/queues/{queue}/jobs/delete-all")
	Map<String, Object> deleteQueue(@PathVariable String queue,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return count(this.operations.deleteQueue(queue, actor));
	}

	@PostMapping("/api/recurring/{task}/pause")
	Map<String, Object> pauseRecurring(@PathVariable String task,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.pauseRecurring(task, actor));
	}

	@PostMapping("/api/recurring/{task}/resume")
	Map<String, Object> resumeRecurring(@PathVariable String task,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.resumeRecurring(task, actor));
	}

	@PostMapping("/api/locks/release")
	Map<String, Object> releaseLock(@RequestParam String name,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.releaseLock(name, actor));
	}

	@PostMapping("/api/connections/{connectionId}/disconnect")
	Map<String, Object> disconnect(@PathVariable String connectionId,
			@RequestAttribute(DashboardInterceptor.ACTOR) String actor) {
		return done(this.operations.disconnect(connectionId, actor));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage()));
	}

	private static ResponseEntity<?> found(@Nullable Object body, String otherwise) {
		return (body != null) ? ResponseEntity.ok(body) : error(HttpStatus.NOT_FOUND, otherwise);
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("status", status.value(), "message", message));
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private static Map<String, Object> done(boolean done) {
		return Map.of("done", done);
	}

	private static Map<String, Object> count(long count) {
		return Map.of("count", count);
	}

	private static byte[] read(String name) throws IOException {
		try (InputStream in = new ClassPathResource(ASSETS + name, DashboardController.class.getClassLoader())
			.getInputStream()) {
			return in.readAllBytes();
		}
	}

	/**
	 * The jobs a write of selected failed jobs acts on.
	 *
	 * @param jobIds their ids
	 */
	public record JobIds(@Nullable List<String> jobIds) {

		List<String> checked() {
			List<String> ids = this.jobIds;
			if (ids == null || ids.isEmpty()) {
				throw new IllegalArgumentException("Name the jobs in 'jobIds'");
			}
			check(ids.size() <= MAX_COUNT, "At most " + MAX_COUNT + " jobs at once");
			return ids;
		}

	}

}
