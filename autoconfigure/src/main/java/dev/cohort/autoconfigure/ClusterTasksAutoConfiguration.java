package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeRole;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.internal.redis.BlockingRedis;
import dev.cohort.internal.redis.ReplicaWait;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.TaskMiddleware;
import dev.cohort.tasks.TaskRegistry;
import dev.cohort.tasks.TaskStore;
import dev.cohort.tasks.internal.ClusterTaskBeanPostProcessor;
import dev.cohort.tasks.internal.DefaultClusterTasks;
import dev.cohort.tasks.internal.RecurringScheduler;
import dev.cohort.tasks.internal.TaskMiddlewareChain;
import dev.cohort.tasks.internal.TaskWorker;
import dev.cohort.tasks.internal.WorkerSettings;
import dev.cohort.tasks.local.LocalTaskStore;
import dev.cohort.tasks.redis.RedisTaskStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.validation.Validator;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link ClusterTasks} on every node, on the store of the configured transport, and on
 * worker nodes ({@code cluster.role} {@code worker} or {@code all}) the
 * {@link TaskWorker} that runs jobs and the {@link RecurringScheduler}.
 */
@AutoConfiguration(after = { ClusterAutoConfiguration.class, ClusterCacheAutoConfiguration.class })
@ConditionalOnBean(ClusterBus.class)
public final class ClusterTasksAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskRegistry clusterTaskRegistry(ClusterProperties properties) {
		return new TaskRegistry(properties.getTasks().getFilteredParameters());
	}

	@Bean
	@ConditionalOnMissingBean
	static ClusterTaskBeanPostProcessor clusterTaskBeanPostProcessor(ObjectProvider<TaskRegistry> registry) {
		return new ClusterTaskBeanPostProcessor(registry);
	}

	@Bean
	@ConditionalOnMissingBean(ClusterTasks.class)
	DefaultClusterTasks clusterTasks(TaskStore clusterTaskStore, TaskRegistry registry,
			ObjectProvider<JsonMapper> jsonMapper, ClusterClock clock, ClusterBus bus, ClusterNodes nodes,
			ObjectProvider<Validator> validators, ObjectProvider<TaskMiddleware> middleware) {
		// The primary validator if there are several (with web MVC, its adapter is one
		// more).
		Validator validator = validators.getIfUnique();
		if (validator == null) {
			validator = validators.orderedStream().findFirst().orElse(null);
		}
		return new DefaultClusterTasks(clusterTaskStore, registry, JsonMappers.applicationOrDefault(jsonMapper), clock,
				bus, nodes, validator, new TaskMiddlewareChain(middleware.orderedStream().toList()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnNodeRole(NodeRole.WORKER)
	static class Worker {

		@Bean
		@ConditionalOnMissingBean
		TaskWorker clusterTaskWorker(TaskStore clusterTaskStore, TaskRegistry registry,
				ObjectProvider<JsonMapper> jsonMapper, ClusterBus bus, ClusterMetrics metrics, NodeInfo clusterNodeInfo,
				ClusterClock clock, ClusterProperties properties, ApplicationEventPublisher events,
				ObjectProvider<TaskMiddleware> middleware) {
			ClusterTasksProperties tasks = properties.getTasks();
			WorkerSettings settings = new WorkerSettings(clusterNodeInfo.id(), tasks.getQueues(),
					tasks.getMinProcessors(), tasks.getMaxProcessors(), tasks.getLease(), tasks.getMaxStalls(),
					tasks.getLockWait(), tasks.getShutdownTimeout());
			return new TaskWorker(clusterTaskStore, registry, JsonMappers.applicationOrDefault(jsonMapper), bus,
					metrics, settings, clock::millis, events,
					new TaskMiddlewareChain(middleware.orderedStream().toList()));
		}

		@Bean
		@ConditionalOnMissingBean
		RecurringScheduler clusterTaskScheduler(TaskStore clusterTaskStore, TaskRegistry registry,
				NodeInfo clusterNodeInfo, ClusterClock clock, ClusterProperties properties) {
			ClusterTasksProperties tasks = properties.getTasks();
			return new RecurringScheduler(clusterTaskStore, registry, clusterNodeInfo.id(), clock,
					tasks.getSchedulerLease(), tasks.getMaxCatchUp());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRedisTransport
	static class RedisStore {

		@Bean
		@ConditionalOnMissingBean
		TaskStore clusterTaskStore(@Qualifier(DedicatedRedis.TASKS) ObjectProvider<RedisConnectionFactory> tasksRedis,
				ObjectProvider<RedisConnectionFactory> applicationRedis, ClusterKeys keys, ClusterProperties properties,
				ClusterMetrics metrics) {
			RedisConnectionFactory connectionFactory = DedicatedRedis.choose(tasksRedis, applicationRedis);
			return new RedisTaskStore(new StringRedisTemplate(connectionFactory), keys,
					new BlockingRedis(connectionFactory), ReplicaWait.of(connectionFactory,
							properties.getRedis().getWaitReplicas(), properties.getRedis().getWaitTimeout(), metrics));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnLocalTransport
	static class LocalStore {

		@Bean
		@ConditionalOnMissingBean
		TaskStore clusterTaskStore() {
			return new LocalTaskStore();
		}

	}

}
