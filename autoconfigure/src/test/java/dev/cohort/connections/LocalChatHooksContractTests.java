package dev.cohort.connections;

import dev.cohort.testapp.TestNodes;

/**
 * The chat and connection hooks on the local transport.
 */
class LocalChatHooksContractTests extends AbstractChatHooksContractTests {

	@Override
	protected TestNodes nodes() {
		return TestNodes.local();
	}

}
