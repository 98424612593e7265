package dev.cohort.tasks;

import dev.cohort.testapp.TestNodes;

/**
 * The recurring tasks' contract on the local transport.
 */
class LocalRecurringTasksContractTests extends AbstractRecurringTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
