package dev.cohort.rpc;

import dev.cohort.testapp.TestNodes;

/**
 * The RPC contract on the local transport.
 */
class LocalClusterRpcContractTests extends AbstractClusterRpcContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
