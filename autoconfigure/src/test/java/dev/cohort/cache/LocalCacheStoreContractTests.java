package dev.cohort.cache;

import dev.cohort.cache.local.LocalCacheStore;

/**
 * The cache store's contract in memory.
 */
class LocalCacheStoreContractTests extends AbstractCacheStoreContractTests {

	@Override
	protected CacheStore createStore() {
		return new LocalCacheStore();
	}

}
