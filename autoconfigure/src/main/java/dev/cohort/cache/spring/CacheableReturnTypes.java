package dev.cohort.cache.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.cache.interceptor.CachePutOperation;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Allows, in {@link CacheValueTypes}, the return types of the {@code @Cacheable} and
 * {@code @CachePut} methods of each bean as it is created, with their type arguments: the
 * classes that the application caches as it declares them. A bean's methods are cached
 * only once it exists, so its types are allowed before any of its results can be read.
 */
public final class CacheableReturnTypes implements BeanPostProcessor {

	private final CacheValueTypes types;

	private final Set<Class<?>> inspected = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the post-processor.
	 * @param types where to allow the types found
	 */
	public CacheableReturnTypes(CacheValueTypes types) {
		this.types = types;
	}

	/**
	 * The types allowed so far, and those to come.
	 * @return the types
	 */
	public CacheValueTypes types() {
		return this.types;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		// After initialization, so that beans made by factory beans (repository proxies)
		// are seen too.
		if (this.inspected.add(bean.getClass())) {
			Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
			// A new source each time: it caches what it finds for every method.
			AnnotationCacheOperationSource operations = new AnnotationCacheOperationSource(false);
			for (Method method : methods(bean.getClass(), targetClass)) {
				if (cachesResult(operations.getCacheOperations(method, targetClass))) {
					this.types.allow(ResolvableType.forMethodReturnType(method, targetClass));
				}
			}
		}
		return bean;
	}

	/**
	 * The target's methods, and those of every interface the bean implements, where the
	 * annotations may be.
	 */
	private static List<Method> methods(Class<?> beanClass, Class<?> targetClass) {
		List<Method> methods = new ArrayList<>(
				List.of(ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)));
		for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
			methods.addAll(List.of(implemented.getMethods()));
		}
		return methods;
	}

	private static boolean cachesResult(@Nullable Collection<CacheOperation> operations) {
		return operations != null && operations.stream()
			.anyMatch((operation) -> operation instanceof CacheableOperation || operation instanceof CachePutOperation);
	}

}
