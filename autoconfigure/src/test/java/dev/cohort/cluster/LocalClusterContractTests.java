package dev.cohort.cluster;

import dev.cohort.testapp.TestNodes;

/**
 * The contract on the local transport, with no Redis at all.
 */
class LocalClusterContractTests extends AbstractClusterContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
