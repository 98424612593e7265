package dev.cohort.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The connection factories of the capabilities that have a Redis of their own
 * ({@code cluster.tasks.redis.*}, {@code cluster.cache.redis.*},
 * {@code cluster.messages.redis.*}), each a bean of its own name that the application may
 * replace. They are not default candidates: injecting a {@code RedisConnectionFactory} by
 * type still gives the application's, and Boot's conditions on it ignore them. Each is
 * started and stopped with the context.
 */
@Configuration(proxyBeanMethods = false)
class DedicatedRedisConfiguration {

	@Bean(name = DedicatedRedis.TASKS, defaultCandidate = false)
	@ConditionalOnMissingBean(name = DedicatedRedis.TASKS)
	@ConditionalOnDedicatedRedis("cluster.tasks.redis")
	LettuceConnectionFactory clusterTasksRedisConnectionFactory(ClusterProperties properties,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles) {
		return factory("cluster.tasks.redis", DedicatedRedis.TASKS, properties, beanFactory, sslBundles);
	}

	@Bean(name = DedicatedRedis.CACHE, defaultCandidate = false)
	@ConditionalOnMissingBean(name = DedicatedRedis.CACHE)
	@ConditionalOnDedicatedRedis("cluster.cache.redis")
	LettuceConnectionFactory clusterCacheRedisConnectionFactory(ClusterProperties properties,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles) {
		return factory("cluster.cache.redis", DedicatedRedis.CACHE, properties, beanFactory, sslBundles);
	}

	@Bean(name = DedicatedRedis.MESSAGES, defaultCandidate = false)
	@ConditionalOnMissingBean(name = DedicatedRedis.MESSAGES)
	@ConditionalOnDedicatedRedis("cluster.messages.redis")
	LettuceConnectionFactory clusterMessagesRedisConnectionFactory(ClusterProperties properties,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles) {
		return factory("cluster.messages.redis", DedicatedRedis.MESSAGES, properties, beanFactory, sslBundles);
	}

	private static LettuceConnectionFactory factory(String prefix, String name, ClusterProperties properties,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles) {
		ClusterRedisProperties redis = DedicatedRedis.configured(properties).get(prefix);
		if (redis == null) {
			throw new IllegalStateException(prefix + " is not bound");
		}
		return DedicatedRedis.connectionFactory(prefix, redis, sharedResources(beanFactory, name),
				sslBundles.getIfAvailable());
	}

	/**
	 * The application's Lettuce client resources (Boot's event loops and timers), shared
	 * rather than started again for each Redis. The factory is made to depend on them, so
	 * that they are shut down after it.
	 */
	private static @Nullable ClientResources sharedResources(ConfigurableListableBeanFactory beanFactory, String name) {
		String[] names = beanFactory.getBeanNamesForType(ClientResources.class, false, false);
		if (names.length != 1) {
			return null;
		}
		beanFactory.registerDependentBean(names[0], name);
		return beanFactory.getBean(names[0], ClientResources.class);
	}

	/**
	 * Matches when any property under the given prefix is set.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Conditional(OnDedicatedRedisCondition.class)
	@interface ConditionalOnDedicatedRedis {

		/**
		 * The group's prefix, such as {@code cluster.tasks.redis}.
		 * @return the prefix
		 */
		String value();

	}

	static class OnDedicatedRedisCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Map<String, Object> attributes = metadata
				.getAnnotationAttributes(ConditionalOnDedicatedRedis.class.getName());
			Object value = (attributes != null) ? attributes.get("value") : null;
			String prefix = (value != null) ? value.toString() : "";
			boolean set = Binder.get(context.getEnvironment())
				.bind(prefix, Bindable.of(ClusterRedisProperties.class))
				.isBound();
			return set ? ConditionOutcome.match(prefix + ".* is set")
					: ConditionOutcome.noMatch(prefix + ".* is not set");
		}

	}

}
