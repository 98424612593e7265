package dev.cohort.operations.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.cohort.operations.ClusterOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code cluster} actuator endpoint: what {@link ClusterOperations} shows and does,
 * over HTTP (or JMX).
 * <ul>
 * <li>{@code GET /actuator/cluster}: the whole cluster</li>
 * <li>{@code GET /actuator/cluster/nodes/{id}}: one node and its connections</li>
 * <li>{@code GET /actuator/cluster/queues/{name}?from=0&count=50}: one queue, a page of
 * its failed jobs</li>
 * <li>{@code GET /actuator/cluster/queues/{name}/history?minutes=60}: done and failed per
 * minute</li>
 * <li>{@code GET /actuator/cluster/queues/{name}/waiting?from=0&count=50},
 * {@code .../delayed} and {@code .../failed}: a page of the queue's waiting, delayed or
 * failed jobs</li>
 * <li>{@code GET /actuator/cluster/rooms/{name}}: one room and its members</li>
 * <li>{@code POST /actuator/cluster/jobs/{id}/retry}, {@code .../cancel}, and
 * {@code DELETE /actuator/cluster/jobs/{id}} (a failed job only)</li>
 * <li>{@code POST /actuator/cluster/queues/{name}/retry} and {@code DELETE
 * /actuator/cluster/queues/{name}/failed}: every failed job of a queue</li>
 * <li>{@code POST /actuator/cluster/queues/{name}/pause} and {@code .../resume};
 * {@code DELETE /actuator/cluster/queues/{name}/jobs}: every waiting and delayed job of a
 * queue</li>
 * <li>{@code POST /actuator/cluster/recurring/{task}/pause} and {@code .../resume}</li>
 * <li>{@code DELETE /actuator/cluster/locks/{name}} and {@code DELETE
 * /actuator/cluster/connections/{id}}</li>
 * </ul>
 * Whatever is not there answers 404. Writes are logged with the authenticated user's
 * name, or {@code anonymous}. Responses are written by the actuator's own JSON mapper,
 * whatever the application's is: times as ISO-8601 text, absent values left out.
 */
@Endpoint(id = "cluster")
public class ClusterEndpoint {

	/** How many failed, delayed and running jobs a queue lists unless asked. */
	static final int DEFAULT_PAGE = 50;

	private static final int DEFAULT_HISTORY_MINUTES = 60;

	private final ClusterOperations operations;

	public ClusterEndpoint(ClusterOperations operations) {
		this.operations = operations;
	}

	/**
	 * The whole cluster.
	 * @return the overview
	 */
	@ReadOperation
	public Body overview() {
		return new Body(this.operations.overview());
	}

	/**
	 * One node, queue or room.
	 * @param kind {@code nodes}, {@code queues} or {@code rooms}
	 * @param name its id or name
	 * @param from for a queue, the first failed job to list (default 0)
	 * @param count for a queue, how many jobs of each kind to list (default 50)
	 * @return the details, or {@code null} (404) if there is no such thing
	 */
	@ReadOperation
	public @Nullable Body read(@Selector String kind, @Selector String name, @Nullable Integer from,
			@Nullable Integer count) {
		Optional<?> found = switch (kind) {
			case "nodes" -> this.operations.node(name);
			case "queues" -> valid(() -> this.operations.queue(name, (from != null) ? from : 0,
					(count != null) ? count : DEFAULT_PAGE));
			case "rooms" -> this.operations.room(name);
			default -> Optional.empty();
		};
		return found.map(Body::new).orElse(null);
	}

	/**
	 * A view of a queue: {@code queues/{name}/history}, its done and failed jobs per
	 * minute; {@code queues/{name}/waiting}, {@code .../delayed} or {@code .../failed}, a
	 * page of its jobs.
	 * @param kind {@code queues}
	 * @param name the queue
	 * @param view {@code history}, {@code waiting}, {@code delayed} or {@code failed}
	 * @param minutes for the history, how many minutes back, at most a day (default 60)
	 * @param from for a page, the first job (default 0)
	 * @param count for a page, how many jobs at most (default 50)
	 * @return the view, or {@code null} (404) for another path
	 */
	@ReadOperation
	public @Nullable Body view(@Selector String kind, @Selector String name, @Selector String view,
			@Nullable Integer minutes, @Nullable Integer from, @Nullable Integer count) {
		if (!"queues".equals(kind)) {
			return null;
		}
		int first = (from != null) ? from : 0;
		int most = (count != null) ? count : DEFAULT_PAGE;
		Object found = switch (view) {
			case "history" -> valid(() -> this.operations.history(name,
					Duration.ofMinutes((minutes != null) ? minutes : DEFAULT_HISTORY_MINUTES)));
			case "waiting" -> valid(() -> this.operations.waiting(name, first, most));
			case "delayed" -> valid(() -> this.operations.delayed(name, first, most));
			case "failed" -> valid(() -> this.operations.failed(name, first, most));
			default -> null;
		};
		return (found != null) ? new Body(found) : null;
	}

	/**
	 * {@code jobs/{id}/retry} retries a failed job, {@code jobs/{id}/cancel} cancels a
	 * job, {@code queues/{name}/retry} retries every failed job of a queue,
	 * {@code queues/{name}/pause} and {@code .../resume} pause and resume a queue,
	 * {@code recurring/{task}/pause} and {@code .../resume} a recurring task.
	 * @param kind {@code jobs}, {@code queues} or {@code recurring}
	 * @param name the job id, queue or task
	 * @param action {@code retry}, {@code cancel}, {@code pause} or {@code resume}
	 * @param principal the authenticated user, if any
	 * @return what changed
	 * @throws InvalidEndpointRequestException (400) for another path
	 */
	@WriteOperation
	public Body write(@Selector String kind, @Selector String name, @Selector String action,
			@Nullable Principal principal) {
		String actor = actor(principal);
		Result result = switch (kind + "/" + action) {
			case "jobs/retry" -> Result.of("retry-failed", name, valid(() -> this.operations.retryFailed(name, actor)));
			case "jobs/cancel" -> Result.of("cancel", name, valid(() -> this.operations.cancelJob(name, actor)));
			case "queues/retry" ->
				Result.of("retry-all-failed", name, valid(() -> this.operations.retryAllFailed(name, actor)));
			case "queues/pause" -> Result.of("pause-queue", name, valid(() -> this.operations.pauseQueue(name, actor)));
			case "queues/resume" ->
				Result.of("resume-queue", name, valid(() -> this.operations.resumeQueue(name, actor)));
			case "recurring/pause" ->
				Result.of("pause-recurring", name, valid(() -> this.operations.pauseRecurring(name, actor)));
			case "recurring/resume" ->
				Result.of("resume-recurring", name, valid(() -> this.operations.resumeRecurring(name, actor)));
			default -> throw unknown("POST", kind + "/{name}/" + action);
		};
		return new Body(result);
	}

	/**
	 * {@code jobs/{id}} deletes a failed job, {@code locks/{name}} releases a lock,
	 * {@code connections/{id}} disconnects a connection.
	 * @param kind {@code jobs}, {@code locks} or {@code connections}
	 * @param name the job id, lock or connection
	 * @param principal the authenticated user, if any
	 * @return what changed
	 * @throws InvalidEndpointRequestException (400) for another path
	 */
	@DeleteOperation
	public Body delete(@Selector String kind, @Selector String name, @Nullable Principal principal) {
		String actor = actor(principal);
		Result result = switch (kind) {
			case "jobs" -> Result.of("delete-failed", name, valid(() -> this.operations.deleteFailed(name, actor)));
			case "locks" -> Result.of("release-lock", name, valid(() -> this.operations.releaseLock(name, actor)));
			case "connections" -> Result.of("disconnect", name, valid(() -> this.operations.disconnect(name, actor)));
			default -> throw unknown("DELETE", kind + "/{name}");
		};
		return new Body(result);
	}

	/**
	 * {@code queues/{name}/failed} deletes every failed job of a queue,
	 * {@code queues/{name}/jobs} every waiting and delayed one.
	 * @param kind {@code queues}
	 * @param name the queue
	 * @param view {@code failed} or {@code jobs}
	 * @param principal the authenticated user, if any
	 * @return what changed
	 * @throws InvalidEndpointRequestException (400) for another path
	 */
	@DeleteOperation
	public Body deleteAll(@Selector String kind, @Selector String name, @Selector String view,
			@Nullable Principal principal) {
		String actor = actor(principal);
		Result result = switch (kind + "/" + view) {
			case "queues/failed" ->
				Result.of("delete-all-failed", name, valid(() -> this.operations.deleteAllFailed(name, actor)));
			case "queues/jobs" ->
				Result.of("delete-queue", name, valid(() -> this.operations.deleteQueue(name, actor)));
			default -> throw unknown("DELETE", kind + "/{name}/" + view);
		};
		return new Body(result);
	}

	private static InvalidEndpointRequestException unknown(String method, String path) {
		String message = "No write operation " + method + " " + path + " on the cluster endpoint";
		return new InvalidEndpointRequestException(message, message);
	}

	private static String actor(@Nullable Principal principal) {
		return ClusterOperations.operator((principal != null) ? principal.getName() : null);
	}

	/**
	 * Runs an operation, turning bad input (a malformed job id, a page out of range) into
	 * a 400 answer rather than a 500.
	 */
	private static <T> T valid(Supplier<T> operation) {
		try {
			return operation.get();
		}
		catch (IllegalArgumentException ex) {
			String message = String.valueOf(ex.getMessage());
			throw new InvalidEndpointRequestException(message, message, ex);
		}
	}

	/**
	 * A response, written by the actuator's JSON mapper (which writes only
	 * {@link OperationResponseBody} values) as the value it holds.
	 *
	 * @param value what to write
	 */
	public record Body(@JsonValue Object value) implements OperationResponseBody {
	}

	/**
	 * What a write operation did.
	 *
	 * @param operation which operation
	 * @param target the job, queue, lock or connection
	 * @param changed whether anything changed
	 * @param count for an operation on every failed job of a queue, how many
	 */
	public record Result(String operation, String target, boolean changed, @Nullable Long count) {

		static Result of(String operation, String target, boolean changed) {
			return new Result(operation, target, changed, null);
		}

		static Result of(String operation, String target, long count) {
			return new Result(operation, target, count > 0, count);
		}

	}

}
