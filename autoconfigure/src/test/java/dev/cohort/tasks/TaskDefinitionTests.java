package dev.cohort.tasks;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The periods of recurring tasks: a cron is read in the task's time zone, UTC unless set.
 */
class TaskDefinitionTests {

	private static final TaskHandler NOTHING = (arguments, job) -> {
	};

	@Test
	void aCronIsReadInUtcUnlessAZoneIsSet() {
		TaskDefinition utc = TaskDefinition.builder("daily", NOTHING).cron("0 0 9 * * *").build();
		TaskDefinition paris = TaskDefinition.builder("daily", NOTHING)
			.cron("0 0 9 * * *")
			.zone("Europe/Paris")
			.build();
		long winter = Instant.parse("2026-12-05T00:00:00Z").toEpochMilli();
		long summer = Instant.parse("2026-07-05T00:00:00Z").toEpochMilli();
		assertThat(Instant.ofEpochMilli(utc.nextPeriod(winter))).isEqualTo("2026-12-05T09:00:00Z");
		assertThat(Instant.ofEpochMilli(paris.nextPeriod(winter))).isEqualTo("2026-12-05T08:00:00Z");
		assertThat(Instant.ofEpochMilli(paris.nextPeriod(summer))).isEqualTo("2026-07-05T07:00:00Z");
	}

	@Test
	void aFireTimeThatDaylightSavingSkipsDoesNotRunAndOneItRepeatsRunsTwice() {
		TaskDefinition paris = TaskDefinition.builder("night", NOTHING)
			.cron("0 30 2 * * *")
			.zone("Europe/Paris")
			.build();
		// 2027-03-28: Paris goes from 02:00 to 03:00, so 02:30 does not exist that day.
		long spring = Instant.parse("2027-03-27T12:00:00Z").toEpochMilli();
		assertThat(Instant.ofEpochMilli(paris.nextPeriod(spring))).isEqualTo("2027-03-29T00:30:00Z");
		// 2027-10-31: Paris goes from 03:00 back to 02:00, so 02:30 comes twice.
		long autumn = Instant.parse("2027-10-30T12:00:00Z").toEpochMilli();
		long first = paris.nextPeriod(autumn);
		assertThat(Instant.ofEpochMilli(first)).isEqualTo("2027-10-31T00:30:00Z");
		long second = paris.nextPeriod(first);
		assertThat(Instant.ofEpochMilli(second)).as("02:30 again, an hour later").isEqualTo("2027-10-31T01:30:00Z");
		assertThat(Instant.ofEpochMilli(paris.nextPeriod(second))).isEqualTo("2027-11-01T01:30:00Z");
	}

	@Test
	void anUnknownZoneIsRefusedWithWhatToSet() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskDefinition.builder("daily", NOTHING).zone("Mars/Olympus"))
			.withMessageContaining("not a time zone id")
			.withMessageContaining("Europe/Paris");
	}

}
