package dev.cohort.tasks;

import dev.cohort.testapp.TestNodes;

/**
 * The task queue's contract on the local transport.
 */
class LocalClusterTasksContractTests extends AbstractClusterTasksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

	@Override
	protected boolean nodesShareTheStore() {
		return false;
	}

}
