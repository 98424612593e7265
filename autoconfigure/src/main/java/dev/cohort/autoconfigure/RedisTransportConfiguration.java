package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.message.MessageTransport;
import dev.cohort.cluster.redis.RedisMembershipStore;
import dev.cohort.cluster.redis.RedisMessageTransport;
import io.lettuce.core.cluster.ClusterClientOptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.RedisMessageListenerContainerConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Redis transport: membership in Redis keys, messages on a Redis pub/sub channel,
 * through the message bus's own connection factory when {@code cluster.messages.redis.*}
 * is set, else the application's. Messages arrive through a
 * {@link RedisMessageListenerContainer} of Cohort's own (see
 * {@link RedisMessageTransport} for why), set up by Boot's configurer so that
 * {@code spring.data.redis.listener.*} applies to it too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cluster.transport", havingValue = "redis", matchIfMissing = true)
class RedisTransportConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@Import(DedicatedRedisConfiguration.class)
	static class RedisAvailable {

		@Bean
		@ConditionalOnMissingBean
		MembershipStore clusterMembershipStore(
				@Qualifier(DedicatedRedis.MESSAGES) ObjectProvider<RedisConnectionFactory> messagesRedis,
				ObjectProvider<RedisConnectionFactory> connectionFactory, ClusterKeys keys) {
			StringRedisTemplate redis = new StringRedisTemplate(
					DedicatedRedis.choose(messagesRedis, connectionFactory));
			return new RedisMembershipStore(redis, keys);
		}

		@Bean
		@ConditionalOnMissingBean
		MessageTransport clusterMessageTransport(
				@Qualifier(DedicatedRedis.MESSAGES) ObjectProvider<RedisConnectionFactory> messagesRedis,
				ObjectProvider<RedisConnectionFactory> connectionFactory,
				ObjectProvider<RedisMessageListenerContainerConfigurer> configurer, ClusterKeys keys) {
			RedisConnectionFactory factory = DedicatedRedis.choose(messagesRedis, connectionFactory);
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			configurer.ifAvailable((bootConfigurer) -> bootConfigurer.configure(container, factory));
			return new RedisMessageTransport(factory, keys, container);
		}

		/**
		 * Lettuce's cluster client set up for failover.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ ClusterClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
		static class LettuceCluster {

			@Bean
			@ConditionalOnMissingBean(name = "cohortLettuceClusterOptions")
			@Order(Ordered.HIGHEST_PRECEDENCE)
			LettuceClientOptionsBuilderCustomizer cohortLettuceClusterOptions(
					ObjectProvider<DataRedisProperties> properties) {
				return new LettuceClusterOptions(properties.getIfAvailable());
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class RedisMissing {

		@Bean
		@ConditionalOnMissingBean
		MembershipStore clusterMembershipStore() {
			throw new ClusterConfigurationException(
					"cluster.transport=redis needs Spring Data Redis, which is not on the classpath",
					"Depend on cohort-spring-boot-starter (or spring-boot-starter-data-redis), or set "
							+ "cluster.transport=local to run a solitary node without Redis.");
		}

	}

}
