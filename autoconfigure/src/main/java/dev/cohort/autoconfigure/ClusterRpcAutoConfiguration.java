package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ConnectionLocator;
import dev.cohort.rpc.RpcMethods;
import dev.cohort.rpc.internal.ClusterRpcMethodBeanPostProcessor;
import dev.cohort.rpc.internal.DefaultClusterRpc;
import dev.cohort.rpc.internal.RpcClient;
import dev.cohort.rpc.internal.RpcServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link ClusterRpc}, the serving of {@code @ClusterRpcMethod} methods, and the
 * {@link ConnectionLocator} calls to connections go through.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class)
@ConditionalOnBean(ClusterBus.class)
public final class ClusterRpcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RpcMethods rpcMethods() {
		return new RpcMethods();
	}

	@Bean
	@ConditionalOnMissingBean
	static ClusterRpcMethodBeanPostProcessor clusterRpcMethodBeanPostProcessor(ObjectProvider<RpcMethods> methods) {
		return new ClusterRpcMethodBeanPostProcessor(methods);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionLocator connectionLocator() {
		return ConnectionLocator.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	RpcServer rpcServer(ClusterBus bus, RpcMethods methods, ObjectProvider<JsonMapper> jsonMapper,
			ClusterMetrics metrics, ClusterClock clock, ClusterProperties properties) {
		ClusterProperties.Rpc rpc = properties.getRpc();
		return new RpcServer(bus, methods, JsonMappers.applicationOrDefault(jsonMapper), metrics, clock,
				rpc.getThreads(), rpc.getQueueCapacity(), rpc.isSendStackTraces());
	}

	@Bean
	@ConditionalOnMissingBean
	RpcClient rpcClient(ClusterBus bus, ClusterNodes nodes, ObjectProvider<JsonMapper> jsonMapper,
			ConnectionLocator connectionLocator, ClusterMetrics metrics, ClusterClock clock) {
		return new RpcClient(bus, nodes, JsonMappers.applicationOrDefault(jsonMapper), connectionLocator, metrics,
				clock);
	}

	@Bean
	@ConditionalOnMissingBean(ClusterRpc.class)
	DefaultClusterRpc clusterRpc(RpcClient client, ObjectProvider<JsonMapper> jsonMapper,
			ClusterProperties properties) {
		return new DefaultClusterRpc(client, JsonMappers.applicationOrDefault(jsonMapper), properties.getRpcTimeout());
	}

}
