package dev.cohort.tasks;

import dev.cohort.tasks.local.LocalTaskStore;

/**
 * The task store's contract in memory.
 */
class LocalTaskStoreContractTests extends AbstractTaskStoreContractTests {

	@Override
	protected TaskStore createStore() {
		return new LocalTaskStore();
	}

}
