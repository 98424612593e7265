package dev.cohort.operations;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A recurring task.
 *
 * @param task the task's name
 * @param queue its queue
 * @param schedule its schedule: {@code every PT1M} or {@code cron 0 0 * * * *}
 * @param lastPeriod the start of the last period enqueued, or {@code null} if none was
 * @param nextFire when the next period starts
 * @param leader the node that leads the recurring scheduler, or {@code null} if none does
 * @param paused whether the task is paused: none of its runs is enqueued
 */
public record RecurringTaskOverview(String task, String queue, String schedule, @Nullable Instant lastPeriod,
		Instant nextFire, @Nullable String leader, boolean paused) {
}
