package dev.cohort.tasks.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import dev.cohort.internal.AnnotatedMethods;
import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.TaskDefinition;
import dev.cohort.tasks.TaskRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

/**
 * Registers every bean method annotated with {@link ClusterTask} as a task.
 */
public class ClusterTaskBeanPostProcessor implements BeanPostProcessor, EmbeddedValueResolverAware {

	private final ObjectProvider<TaskRegistry> registry;

	private @Nullable StringValueResolver resolver;

	/**
	 * Creates the post-processor.
	 * @param registry where tasks are registered, looked up when the first annotated bean
	 * appears
	 */
	public ClusterTaskBeanPostProcessor(ObjectProvider<TaskRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		AnnotatedMethods.forEach(bean, ClusterTask.class, (method, annotation) -> this.registry.getObject()
			.register(definition(annotation, this::resolve, bean, method)));
		return bean;
	}

	static TaskDefinition definition(ClusterTask annotation, UnaryOperator<String> values, Object bean, Method method) {
		String where = method.getDeclaringClass().getName() + "." + method.getName();
		Type argumentType = argumentType(method, where);
		ReflectionUtils.makeAccessible(method);
		try {
			return TaskDefinition
				.builder(values.apply(annotation.name()), (arguments, job) -> invoke(bean, method, arguments, job))
				.queue(values.apply(annotation.queue()))
				.argumentType(argumentType)
				.frequency(duration(values.apply(annotation.frequency())))
				.cron(StringUtils.hasText(values.apply(annotation.cron())) ? values.apply(annotation.cron()) : null)
				.zone(values.apply(annotation.zone()))
				.retries(annotation.retries(), DurationStyle.detectAndParse(values.apply(annotation.backoff())),
						annotation.backoffMultiplier())
				.timeout(duration(values.apply(annotation.timeout())))
				.jobLock(annotation.jobLock())
				.unique(annotation.unique())
				.maskedArguments(Arrays.asList(annotation.maskedArguments()))
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@ClusterTask on " + where + " is not usable: " + ex.getMessage(), ex);
		}
	}

	private String resolve(String value) {
		String resolved = (this.resolver != null) ? this.resolver.resolveStringValue(value) : value;
		return (resolved != null) ? resolved : value;
	}

	private static @Nullable Type argumentType(Method method, String where) {
		Type argumentType = null;
		Type[] parameters = method.getGenericParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			if (method.getParameterTypes()[i] == JobContext.class) {
				continue;
			}
			if (argumentType != null) {
				throw new IllegalStateException("@ClusterTask method " + where
						+ " takes more than one argument: take one object, and optionally a JobContext");
			}
			argumentType = parameters[i];
		}
		return argumentType;
	}

	private static @Nullable Duration duration(String text) {
		return StringUtils.hasText(text) ? DurationStyle.detectAndParse(text) : null;
	}

	private static void invoke(Object bean, Method method, @Nullable Object arguments, JobContext job)
			throws Exception {
		Object[] values = new Object[method.getParameterCount()];
		for (int i = 0; i < values.length; i++) {
			values[i] = (method.getParameterTypes()[i] == JobContext.class) ? job : arguments;
		}
		try {
			method.invoke(bean, values);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
	}

}
