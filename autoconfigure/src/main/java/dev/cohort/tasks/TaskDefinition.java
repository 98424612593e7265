package dev.cohort.tasks;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.Assert;

/**
 * A task: its name, queue, schedule, retry policy, limits and locks, and what runs it.
 * Built from a {@link ClusterTask} method, or with {@link #builder(String, TaskHandler)}.
 *
 * @param name the task's name
 * @param queue the queue its jobs go to by default
 * @param argumentType the type its arguments are mapped to, or {@code null} if it takes
 * none
 * @param handler what runs a job
 * @param frequency the period of a recurring task, or {@code null}
 * @param cron the cron expression of a recurring task, or {@code null}
 * @param zone the time zone the cron expression is read in
 * @param retries how many times a failed attempt is tried again
 * @param backoff the wait before the first retry
 * @param backoffMultiplier what each further wait is multiplied by
 * @param timeout how long an attempt may run, or {@code null} for no limit
 * @param jobLock whether jobs with the same arguments never run at once
 * @param unique whether an identical job is not enqueued while one waits
 * @param maskedArguments argument properties masked in failed jobs
 */
public record TaskDefinition(String name, String queue, @Nullable Type argumentType, TaskHandler handler,
		@Nullable Duration frequency, @Nullable CronExpression cron, ZoneId zone, int retries, Duration backoff,
		double backoffMultiplier, @Nullable Duration timeout, boolean jobLock, boolean unique,
		List<String> maskedArguments) {

	/** The queue of tasks that name none. */
	public static final String DEFAULT_QUEUE = "default";

	public TaskDefinition {
		TaskNames.check("task name", name);
		TaskNames.check("queue", queue);
		Assert.isTrue(frequency == null || cron == null, () -> "Task '" + name + "' has both a frequency and a cron");
		Assert.notNull(zone, () -> "Task '" + name + "' has no time zone");
		Assert.isTrue(frequency == null || frequency.toMillis() >= 1,
				() -> "Task '" + name + "' has a frequency under 1ms");
		Assert.isTrue(retries >= 0, () -> "Task '" + name + "' has negative retries");
		Assert.isTrue(!backoff.isNegative(), () -> "Task '" + name + "' has a negative backoff");
		Assert.isTrue(backoffMultiplier >= 1, () -> "Task '" + name + "' has a backoff multiplier under 1");
		Assert.isTrue(timeout == null || timeout.toMillis() >= 1, () -> "Task '" + name + "' has a timeout under 1ms");
		maskedArguments = List.copyOf(maskedArguments);
	}

	/**
	 * Starts a definition for a task run by a handler.
	 * @param name the task's name
	 * @param handler what runs a job
	 * @return the builder
	 */
	public static Builder builder(String name, TaskHandler handler) {
		return new Builder(name, handler);
	}

	/**
	 * Whether the task recurs.
	 * @return whether it has a frequency or a cron
	 */
	public boolean isRecurring() {
		return this.frequency != null || this.cron != null;
	}

	/**
	 * The period of a recurring task that follows another: periods are multiples of the
	 * frequency since the epoch, or the cron's fire times in the task's time zone.
	 * @param periodStartMillis a period's start, in milliseconds since the epoch
	 * @return the next period's start, or {@link Long#MAX_VALUE} if the cron never fires
	 * again
	 * @throws IllegalStateException if the task does not recur
	 */
	public long nextPeriod(long periodStartMillis) {
		Duration frequency = this.frequency;
		CronExpression cron = this.cron;
		if (frequency != null) {
			return periodStartMillis + frequency.toMillis();
		}
		if (cron == null) {
			throw new IllegalStateException("Task '" + this.name + "' does not recur");
		}
		ZonedDateTime after = Instant.ofEpochMilli(periodStartMillis).atZone(this.zone);
		ZonedDateTime fire = cron.next(after);
		return (fire != null) ? fire.toInstant().toEpochMilli() : Long.MAX_VALUE;
	}

	/**
	 * The wait before a retry.
	 * @param failedAttempt the attempt that failed, from 1
	 * @return the wait
	 */
	public Duration retryDelay(int failedAttempt) {
		double factor = Math.pow(this.backoffMultiplier, Math.max(0, failedAttempt - 1));
		double millis = Math.min(this.backoff.toMillis() * factor, Duration.ofDays(1).toMillis());
		return Duration.ofMillis((long) millis);
	}

	/**
	 * Builds a {@link TaskDefinition}.
	 */
	public static final class Builder {

		private final String name;

		private final TaskHandler handler;

		private String queue = DEFAULT_QUEUE;

		private @Nullable Type argumentType;

		private @Nullable Duration frequency;

		private @Nullable CronExpression cron;

		private ZoneId zone = ZoneId.of("UTC");

		private int retries;

		private Duration backoff = Duration.ofSeconds(1);

		private double backoffMultiplier = 1;

		private @Nullable Duration timeout;

		private boolean jobLock;

		private boolean unique;

		private List<String> maskedArguments = List.of();

		private Builder(String name, TaskHandler handler) {
			this.name = name;
			this.handler = handler;
		}

		public Builder queue(String queue) {
			this.queue = queue;
			return this;
		}

		public Builder argumentType(@Nullable Type argumentType) {
			this.argumentType = argumentType;
			return this;
		}

		public Builder frequency(@Nullable Duration frequency) {
			this.frequency = frequency;
			return this;
		}

		public Builder cron(@Nullable String cron) {
			this.cron = (cron != null) ? CronExpression.parse(cron) : null;
			return this;
		}

		/**
		 * The time zone the cron expression is read in; UTC if not set.
		 * @param zone a time zone id, such as {@code Europe/Paris} or {@code UTC}
		 * @return this builder
		 * @throws IllegalArgumentException if it is not a time zone id
		 */
		public Builder zone(String zone) {
			try {
				this.zone = ZoneId.of(zone);
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException(
						"zone '" + zone + "' is not a time zone id: set a region such as Europe/Paris, or UTC", ex);
			}
			return this;
		}

		public Builder retries(int retries, Duration backoff, double backoffMultiplier) {
			this.retries = retries;
			this.backoff = backoff;
			this.backoffMultiplier = backoffMultiplier;
			return this;
		}

		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder jobLock(boolean jobLock) {
			this.jobLock = jobLock;
			return this;
		}

		public Builder unique(boolean unique) {
			this.unique = unique;
			return this;
		}

		public Builder maskedArguments(List<String> maskedArguments) {
			this.maskedArguments = maskedArguments;
			return this;
		}

		public TaskDefinition build() {
			return new TaskDefinition(this.name, this.queue, this.argumentType, this.handler, this.frequency, this.cron,
					this.zone, this.retries, this.backoff, this.backoffMultiplier, this.timeout, this.jobLock,
					this.unique, this.maskedArguments);
		}

	}

}
