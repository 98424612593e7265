package dev.cohort.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.BiConsumer;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds the methods of a bean that carry one of Cohort's annotations, as the bean post
 * processors for subscriptions, RPC methods and tasks need them: looked up on the target
 * class, and made invocable on the bean itself, which may be a proxy.
 */
public final class AnnotatedMethods {

	private AnnotatedMethods() {
	}

	/**
	 * Visits each annotated method of a bean.
	 * @param <A> the annotation's type
	 * @param bean the bean
	 * @param type the annotation's type
	 * @param action receives each method, invocable on the bean, and its annotation
	 */
	public static <A extends Annotation> void forEach(Object bean, Class<A> type, BiConsumer<Method, A> action) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (targetClass.isInterface() || Proxy.isProxyClass(bean.getClass())) {
			return;
		}
		Map<Method, A> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						type));
		annotated.forEach((method, annotation) -> action.accept(AopUtils.selectInvocableMethod(method, bean.getClass()),
				annotation));
	}

}
