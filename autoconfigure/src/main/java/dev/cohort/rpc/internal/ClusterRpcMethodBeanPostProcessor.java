package dev.cohort.rpc.internal;

import dev.cohort.internal.AnnotatedMethods;
import dev.cohort.rpc.ClusterRpcMethod;
import dev.cohort.rpc.RpcMethods;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

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
		AnnotatedMethods.forEach(bean, ClusterRpcMethod.class, (method, annotation) -> this.methods.getObject()
			.expose(annotation.value(), bean, method, annotation.blocking()));
		return bean;
	}

}
