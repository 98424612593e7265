package dev.cohort.tasks;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A job to enqueue: task, arguments, and optionally a queue and a due time. Immutable.
 *
 * <pre class="code">
 * tasks.enqueue(JobRequest.of("resize", image).queue("images").in(Duration.ofMinutes(5)));
 * </pre>
 */
public final class JobRequest {

	private final String task;

	private final @Nullable Object args;

	private final @Nullable String queue;

	private final @Nullable Instant at;

	private final @Nullable Duration in;

	private JobRequest(String task, @Nullable Object args, @Nullable String queue, @Nullable Instant at,
			@Nullable Duration in) {
		this.task = task;
		this.args = args;
		this.queue = queue;
		this.at = at;
		this.in = in;
	}

	/**
	 * A job of a task.
	 * @param task the task's name
	 * @param args the arguments, or {@code null}
	 * @return the request
	 */
	public static JobRequest of(String task, @Nullable Object args) {
		return new JobRequest(TaskNames.check("task name", task), args, null, null, null);
	}

	/**
	 * Sends the job to a queue other than its task's.
	 * @param queue the queue
	 * @return a new request
	 */
	public JobRequest queue(String queue) {
		return new JobRequest(this.task, this.args, TaskNames.check("queue", queue), this.at, this.in);
	}

	/**
	 * Runs the job at a time, as the Redis server's clock tells it.
	 * @param time the time
	 * @return a new request
	 */
	public JobRequest at(Instant time) {
		Assert.notNull(time, "'time' must not be null");
		return new JobRequest(this.task, this.args, this.queue, time, null);
	}

	/**
	 * Runs the job after a delay.
	 * @param delay the delay
	 * @return a new request
	 */
	public JobRequest in(Duration delay) {
		Assert.isTrue(delay != null && !delay.isNegative(), "'delay' must not be negative");
		return new JobRequest(this.task, this.args, this.queue, null, delay);
	}

	/**
	 * The same job with other arguments, as a {@link TaskMiddleware} may change them
	 * before the job is enqueued.
	 * @param args the arguments, or {@code null}
	 * @return a new request
	 */
	public JobRequest args(@Nullable Object args) {
		return new JobRequest(this.task, args, this.queue, this.at, this.in);
	}

	public String getTask() {
		return this.task;
	}

	public @Nullable Object getArgs() {
		return this.args;
	}

	public @Nullable String getQueue() {
		return this.queue;
	}

	public @Nullable Instant getAt() {
		return this.at;
	}

	public @Nullable Duration getIn() {
		return this.in;
	}

}
