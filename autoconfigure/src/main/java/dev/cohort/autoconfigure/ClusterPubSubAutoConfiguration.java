package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.pubsub.internal.ClusterSubscriptionBeanPostProcessor;
import dev.cohort.pubsub.internal.DefaultClusterPubSub;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link ClusterPubSub} and the handling of {@code @ClusterSubscription} methods.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnBean(ClusterBus.class)
public final class ClusterPubSubAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ClusterPubSub.class)
	DefaultClusterPubSub clusterPubSub(ClusterBus bus, ClusterNodes nodes, ObjectProvider<JsonMapper> jsonMapper) {
		return new DefaultClusterPubSub(bus, nodes, JsonMappers.applicationOrDefault(jsonMapper));
	}

	@Bean
	@ConditionalOnMissingBean
	static ClusterSubscriptionBeanPostProcessor clusterSubscriptionBeanPostProcessor(
			ObjectProvider<ClusterPubSub> pubSub) {
		return new ClusterSubscriptionBeanPostProcessor(pubSub);
	}

}
