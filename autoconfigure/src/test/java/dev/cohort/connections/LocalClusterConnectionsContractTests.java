package dev.cohort.connections;

import dev.cohort.testapp.TestNodes;

/**
 * The connections and rooms contract on the local transport.
 */
class LocalClusterConnectionsContractTests extends AbstractClusterConnectionsContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
