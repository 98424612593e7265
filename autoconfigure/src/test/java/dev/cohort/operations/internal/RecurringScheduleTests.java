package dev.cohort.operations.internal;

import java.time.Duration;
import java.time.Instant;

import dev.cohort.tasks.TaskDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the overview describes a recurring task's schedule and its next fire time.
 */
class RecurringScheduleTests {

	private static final long NOW = Instant.parse("2026-12-04T16:57:21.320Z").toEpochMilli();

	private final TaskDefinition everyMinute = TaskDefinition.builder("every-minute", (args, job) -> {
	}).frequency(Duration.ofMinutes(1)).build();

	private final TaskDefinition nightly = TaskDefinition.builder("nightly", (args, job) -> {
	}).cron("0 0 2 * * *").build();

	@Test
	void theScheduleIsTheFrequencyOrTheCron() {
		assertThat(DefaultClusterOperations.schedule(this.everyMinute)).isEqualTo("every PT1M");
		assertThat(DefaultClusterOperations.schedule(this.nightly)).isEqualTo("cron 0 0 2 * * *");
	}

	@Test
	void theNextFireIsThePeriodAfterTheLastEnqueued() {
		long last = Instant.parse("2026-12-04T16:57:00Z").toEpochMilli();
		assertThat(Instant.ofEpochMilli(DefaultClusterOperations.nextFire(this.everyMinute, last, NOW)))
			.isEqualTo("2026-12-04T16:58:00Z");
		long lastNight = Instant.parse("2026-12-04T02:00:00Z").toEpochMilli();
		assertThat(Instant.ofEpochMilli(DefaultClusterOperations.nextFire(this.nightly, lastNight, NOW)))
			.isEqualTo("2026-12-05T02:00:00Z");
	}

	@Test
	void aTaskThatNeverRanFiresInItsCurrentPeriodOrAtTheCronsNextTime() {
		assertThat(Instant.ofEpochMilli(DefaultClusterOperations.nextFire(this.everyMinute, null, NOW)))
			.isEqualTo("2026-12-04T16:57:00Z");
		assertThat(Instant.ofEpochMilli(DefaultClusterOperations.nextFire(this.nightly, null, NOW)))
			.isEqualTo("2026-12-05T02:00:00Z");
	}

}
