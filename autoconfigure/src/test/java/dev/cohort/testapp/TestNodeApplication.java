package dev.cohort.testapp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A node for tests: Cohort's auto-configuration plus a {@link Recorder} of everything it
 * receives. Its {@code main} runs a node in a separate process, for crash tests.
 */
@SpringBootApplication
@Import(Recorder.class)
public class TestNodeApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	public static void main(String[] args) {
		SpringApplication.run(TestNodeApplication.class, args);
	}

}
