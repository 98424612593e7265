package dev.cohort.cache.micrometer.internal;

import java.util.Map;

import dev.cohort.cache.spring.ClusterCacheManager;
import io.micrometer.core.instrument.Tag;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;

/**
 * Binds the caches that Cohort's cache managers create after start-up. Spring Boot binds
 * the caches a manager has when the application starts, but a {@link ClusterCacheManager}
 * creates its caches when first asked for them, mostly later. Tags are Boot's:
 * {@code cache}, and {@code cache.manager} named after the bean.
 */
public class ClusterCacheMetricsBinder implements SmartInitializingSingleton {

	private static final String CACHE_MANAGER_SUFFIX = "cacheManager";

	private final ObjectProvider<CacheMetricsRegistrar> registrar;

	private final Map<String, ClusterCacheManager> cacheManagers;

	/**
	 * Creates the binder.
	 * @param registrar Boot's registrar of cache meters
	 * @param cacheManagers Cohort's cache managers, by bean name
	 */
	public ClusterCacheMetricsBinder(ObjectProvider<CacheMetricsRegistrar> registrar,
			Map<String, ClusterCacheManager> cacheManagers) {
		this.registrar = registrar;
		this.cacheManagers = cacheManagers;
	}

	@Override
	public void afterSingletonsInstantiated() {
		CacheMetricsRegistrar registrar = this.registrar.getIfAvailable();
		if (registrar == null) {
			return;
		}
		this.cacheManagers.forEach((beanName, cacheManager) -> {
			Tag manager = Tag.of("cache.manager", cacheManagerName(beanName));
			cacheManager.forEachCache((cache) -> registrar.bindCacheToRegistry(cache, manager));
		});
	}

	/** The name Boot gives a cache manager bean in its tags. */
	private static String cacheManagerName(String beanName) {
		if (beanName.length() > CACHE_MANAGER_SUFFIX.length()
				&& beanName.regionMatches(true, beanName.length() - CACHE_MANAGER_SUFFIX.length(), CACHE_MANAGER_SUFFIX,
						0, CACHE_MANAGER_SUFFIX.length())) {
			return beanName.substring(0, beanName.length() - CACHE_MANAGER_SUFFIX.length());
		}
		return beanName;
	}

}
