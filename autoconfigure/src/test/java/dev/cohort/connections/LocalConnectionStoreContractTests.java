package dev.cohort.connections;

import dev.cohort.connections.local.LocalConnectionStore;

/**
 * The directory's contract on the in-memory store of the local transport.
 */
class LocalConnectionStoreContractTests extends AbstractConnectionStoreContractTests {

	@Override
	protected ConnectionStore newStore() {
		return new LocalConnectionStore();
	}

}
