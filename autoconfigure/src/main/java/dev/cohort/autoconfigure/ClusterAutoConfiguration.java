package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.internal.ClusterClockSync;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.internal.NodeIdentity;
import dev.cohort.cluster.message.MessageTransport;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.EnvelopeCodec;
import dev.cohort.cluster.message.internal.EnvelopeVerifier;
import dev.cohort.cluster.message.internal.MessageSigner;
import dev.cohort.cluster.message.internal.ReplayGuard;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Makes the application a node of a Cohort cluster: its identity, its membership, and the
 * signed message bus every capability talks through. The transport, Redis or local,
 * supplies the {@link MembershipStore} and {@link MessageTransport}; everything else is
 * the same for both.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "cluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClusterProperties.class)
@Import({ RedisTransportConfiguration.class, LocalTransportConfiguration.class, ClusterMetricsConfiguration.class })
public final class ClusterAutoConfiguration {

	ClusterAutoConfiguration(ClusterProperties properties) {
		ClusterPropertiesValidator.validate(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterKeys clusterKeys(ClusterProperties properties) {
		String channel = (properties.getChannel() != null) ? properties.getChannel()
				: ClusterKeys.defaultChannel(properties.getNamespace());
		return new ClusterKeys(properties.getNamespace(), channel);
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterClock clusterClock() {
		return new ClusterClock();
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterClockSync clusterClockSync(ClusterClock clock, MembershipStore membershipStore, NodeInfo clusterNodeInfo) {
		return new ClusterClockSync(clock, membershipStore, clusterNodeInfo.id());
	}

	@Bean
	@ConditionalOnMissingBean
	NodeInfo clusterNodeInfo(ClusterProperties properties, Environment environment, MembershipStore membershipStore) {
		return NodeIdentity.create(properties.getNodeId(), environment.getProperty("spring.application.name"),
				properties.getRole(), membershipStore);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageSigner clusterMessageSigner(ClusterProperties properties) {
		return new MessageSigner(ClusterPropertiesValidator.serverToken(properties),
				ClusterPropertiesValidator.previousServerTokens(properties));
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterBus clusterBus(ClusterProperties properties, NodeInfo clusterNodeInfo, MessageTransport transport,
			MessageSigner signer, ClusterClock clock, ClusterMetrics metrics) {
		EnvelopeCodec codec = new EnvelopeCodec();
		long maxAge = properties.getMessages().getMaxAge().toMillis();
		EnvelopeVerifier verifier = new EnvelopeVerifier(codec, signer, new ReplayGuard(maxAge), clock::millis, maxAge,
				(int) properties.getMessages().getMaxSize().toBytes(), metrics);
		ClusterProperties.PubSub pubsub = properties.getPubsub();
		return new ClusterBus(clusterNodeInfo.id(), transport, codec, signer, verifier, clock, metrics,
				pubsub.isReceiveOwnBroadcasts(), pubsub.getHandlerThreads(), pubsub.getQueueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean(ClusterNodes.class)
	ClusterMembership clusterMembership(ClusterProperties properties, NodeInfo clusterNodeInfo,
			MembershipStore membershipStore, ClusterBus clusterBus, ClusterClock clock,
			ApplicationEventPublisher events, ClusterMetrics metrics) {
		ClusterMembership membership = new ClusterMembership(clusterNodeInfo, membershipStore, clusterBus, clock,
				properties.getHeartbeatInterval(), properties.getNodeTimeout(), events);
		metrics.bindMembership(membership);
		return membership;
	}

}
