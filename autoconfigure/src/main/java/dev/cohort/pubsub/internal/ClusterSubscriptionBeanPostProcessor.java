package dev.cohort.pubsub.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import dev.cohort.internal.AnnotatedMethods;
import dev.cohort.pubsub.ClusterMessageHandler;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.pubsub.ClusterSubscription;
import dev.cohort.pubsub.MessageMetadata;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.ReflectionUtils;

/**
 * Subscribes every bean method annotated with {@link ClusterSubscription} to its message
 * type.
 */
public class ClusterSubscriptionBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ClusterPubSub> pubSub;

	/**
	 * Creates the post-processor.
	 * @param pubSub the pub/sub that handlers subscribe to, looked up when the first
	 * annotated bean appears
	 */
	public ClusterSubscriptionBeanPostProcessor(ObjectProvider<ClusterPubSub> pubSub) {
		this.pubSub = pubSub;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		AnnotatedMethods.forEach(bean, ClusterSubscription.class,
				(method, annotation) -> subscribe(bean, beanName, method, annotation.value(), annotation.blocking()));
		return bean;
	}

	private void subscribe(Object bean, String beanName, Method method, String type, boolean blocking) {
		Class<?>[] parameters = method.getParameterTypes();
		boolean withMetadata = parameters.length == 2 && parameters[1] == MessageMetadata.class;
		if (parameters.length != 1 && !withMetadata) {
			throw new IllegalStateException("@ClusterSubscription method " + method.toGenericString() + " of bean '"
					+ beanName + "' must take the payload, optionally followed by a MessageMetadata");
		}
		ParameterizedTypeReference<Object> payloadType = ParameterizedTypeReference
			.forType(method.getGenericParameterTypes()[0]);
		ReflectionUtils.makeAccessible(method);
		ClusterMessageHandler<Object> handler = (payload, metadata) -> invoke(bean, method,
				withMetadata ? new Object[] { payload, metadata } : new Object[] { payload });
		ClusterPubSub pubSub = this.pubSub.getObject();
		if (blocking) {
			pubSub.subscribe(type, payloadType, handler);
		}
		else {
			pubSub.subscribeNonBlocking(type, payloadType, handler);
		}
	}

	private static void invoke(Object bean, Method method, Object[] arguments) {
		try {
			method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			ReflectionUtils.rethrowRuntimeException(ex.getTargetException());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
