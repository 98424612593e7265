package dev.cohort.operations;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cohort.tasks.ClusterTask;

/**
 * Tasks for the operations tests, added to a test node with
 * {@code spring.main.sources=dev.cohort.operations.OperationsTestTasks}. Both go to queue
 * {@code ops} and mask their argument {@code secret}.
 */
public class OperationsTestTasks {

	/** Whether {@code ops-flaky} fails (for good: it has no retries). */
	static volatile boolean failing = true;

	/** Jobs of {@code ops-hold} run until this latch opens; tests replace it. */
	static volatile CountDownLatch release = new CountDownLatch(1);

	@ClusterTask(name = "ops-flaky", queue = "ops", maskedArguments = "secret")
	void flaky(Map<String, String> args) {
		if (failing) {
			throw new IllegalStateException("flaky fails for " + args.get("who"));
		}
	}

	@ClusterTask(name = "ops-hold", queue = "ops", maskedArguments = "secret")
	void hold(Map<String, String> args) throws InterruptedException {
		release.await(60, TimeUnit.SECONDS);
	}

}
