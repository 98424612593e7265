package dev.cohort.rpc;

import java.lang.reflect.Method;
import java.util.Map;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Exposes every bean method annotated with {@link ClusterRpcMethod}.
 */
public class ClusterRpcMethodBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<RpcMethods> methods;

	/**
	 * Creates the post-processor.
	 * @param methods where the methods are exposed, looked up when the first annotated
	 * bean appears
	 */
	public ClusterRpcMethodBeanPostProcessor(ObjectProvider<RpcMethods> methods) {
		this.methods = methods;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (targetClass.isInterface() || java.lang.reflect.Proxy.isProxyClass(bean.getClass())) {
			return bean;
		}
		Map<Method, ClusterRpcMethod> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<ClusterRpcMethod>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ClusterRpcMethod.class));
		annotated.forEach((method, annotation) -> this.methods.getObject()
			.expose(annotation.value(), bean, AopUtils.selectInvocableMethod(method, bean.getClass())));
		return bean;
	}

}
