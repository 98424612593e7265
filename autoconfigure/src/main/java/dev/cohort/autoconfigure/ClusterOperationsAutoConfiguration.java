package dev.cohort.autoconfigure;

import dev.cohort.cache.ClusterCache;
import dev.cohort.chat.ChatRooms;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.internal.DefaultClusterOperations;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link ClusterOperations}, the one view of the whole cluster behind the {@code cluster}
 * actuator endpoint ({@link ClusterEndpointAutoConfiguration}) and the dashboard, on
 * every node.
 */
@AutoConfiguration(after = { ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class,
		ClusterConnectionsAutoConfiguration.class, ClusterTasksAutoConfiguration.class })
@ConditionalOnBean({ ClusterNodes.class, ClusterClock.class })
public final class ClusterOperationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterOperations clusterOperations(ClusterNodes nodes, ClusterClock clock, ObjectProvider<ClusterTasks> tasks,
			ObjectProvider<TaskRegistry> registry, ObjectProvider<TaskStore> taskStore,
			ObjectProvider<ClusterCache> cache, ObjectProvider<ClusterConnections> connections,
			ObjectProvider<ChatRooms> rooms) {
		return new DefaultClusterOperations(nodes, clock,
				new DefaultClusterOperations.Capabilities(tasks.getIfUnique(), registry.getIfUnique(),
						taskStore.getIfUnique(), cache.getIfUnique(), connections.getIfUnique(), rooms.getIfUnique()));
	}

}
