package dev.cohort.autoconfigure;

import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.local.LocalMembershipStore;
import dev.cohort.cluster.local.LocalMessageTransport;
import dev.cohort.cluster.message.MessageTransport;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The local transport: a solitary node whose membership and messages stay in this JVM. It
 * needs no Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cluster.transport", havingValue = "local")
class LocalTransportConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MembershipStore clusterMembershipStore() {
		return new LocalMembershipStore();
	}

	@Bean
	@ConditionalOnMissingBean
	MessageTransport clusterMessageTransport() {
		return new LocalMessageTransport();
	}

}
