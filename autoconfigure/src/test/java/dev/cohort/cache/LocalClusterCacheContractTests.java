package dev.cohort.cache;

import dev.cohort.testapp.TestNodes;

/**
 * The cache contract on the local transport.
 */
class LocalClusterCacheContractTests extends AbstractClusterCacheContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
