package dev.cohort.pubsub;

import dev.cohort.testapp.TestNodes;

/**
 * The pub/sub contract on the local transport.
 */
class LocalClusterPubSubContractTests extends AbstractClusterPubSubContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
