package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import dev.cohort.cache.ClusterCache;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import dev.cohort.testapp.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis per job ({@code cluster.tasks.redis.*}, {@code cluster.cache.redis.*},
 * {@code cluster.messages.redis.*}): an unset group reuses the application's connection
 * factory, a set one gets a factory of its own that its capability's keys go through
 * (here another database of the same server), and a misconfigured one stops the node with
 * what to set.
 */
class DedicatedRedisAutoConfigurationTests {

	private static final RedisServer redis = RedisServer.shared();

	private final String namespace = "dedicated-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ClusterAutoConfiguration.class, ClusterPubSubAutoConfiguration.class,
				ClusterCacheAutoConfiguration.class, ClusterConnectionsAutoConfiguration.class,
				ClusterRpcAutoConfiguration.class, ClusterTasksAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"cluster.server-token=" + TestNodes.TOKEN, "cluster.namespace=" + this.namespace);

	@Test
	void eachUnsetGroupReusesTheApplicationsFactory() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(DedicatedRedis.TASKS)
				.doesNotHaveBean(DedicatedRedis.CACHE)
				.doesNotHaveBean(DedicatedRedis.MESSAGES)
				.hasSingleBean(RedisConnectionFactory.class);
			useEveryStore(context);
			assertThat(TestRedis.keys(redis, 0, this.namespace)).anyMatch((key) -> key.contains(":cache:"))
				.anyMatch((key) -> key.contains(":tasks"))
				.anyMatch((key) -> key.contains(":nodes}"));
		});
	}

	@Test
	void eachSetGroupGetsAFactoryOfItsOwnThatItsKeysGoThrough() {
		LettuceConnectionFactory[] dedicated = new LettuceConnectionFactory[3];
		this.runner
			.withPropertyValues("cluster.tasks.redis.host=" + redis.host(), "cluster.tasks.redis.port=" + redis.port(),
					"cluster.tasks.redis.database=1", "cluster.tasks.redis.client-name=tasks",
					"cluster.tasks.redis.timeout=3s",
					"cluster.cache.redis.url=redis://" + redis.host() + ":" + redis.port() + "/2",
					"cluster.messages.redis.host=" + redis.host(), "cluster.messages.redis.port=" + redis.port(),
					"cluster.messages.redis.database=3", "cluster.messages.redis.connect-timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				dedicated[0] = context.getBean(DedicatedRedis.TASKS, LettuceConnectionFactory.class);
				dedicated[1] = context.getBean(DedicatedRedis.CACHE, LettuceConnectionFactory.class);
				dedicated[2] = context.getBean(DedicatedRedis.MESSAGES, LettuceConnectionFactory.class);
				assertThat(dedicated[0].getDatabase()).isEqualTo(1);
				assertThat(dedicated[0].getClientConfiguration().getClientName()).contains("tasks");
				assertThat(dedicated[0].getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(dedicated[1].getDatabase()).isEqualTo(2);
				assertThat(dedicated[2].getDatabase()).isEqualTo(3);
				// Not default candidates: by type, the application still gets its own,
				// and
				// Boot's templates were built on it.
				RedisConnectionFactory application = context.getBean(RedisConnectionFactory.class);
				assertThat(application).isNotIn((Object[]) dedicated);
				assertThat(context.getBean(StringRedisTemplate.class).getConnectionFactory()).isSameAs(application);
				useEveryStore(context);
				assertThat(TestRedis.keys(redis, 0, this.namespace)).isEmpty();
				assertThat(TestRedis.keys(redis, 1, this.namespace)).isNotEmpty()
					.allMatch((key) -> key.contains(":tasks"));
				assertThat(TestRedis.keys(redis, 2, this.namespace)).isNotEmpty()
					.allMatch((key) -> key.contains(":cache:"));
				assertThat(TestRedis.keys(redis, 3, this.namespace)).isNotEmpty()
					.allMatch((key) -> key.contains(":nodes}") || key.endsWith(":node-sequence")
							|| key.contains(":chat}") || key.contains(":chat:"));
				assertThat(dedicated).allMatch(LettuceConnectionFactory::isRunning);
			});
		// Stopped with the context.
		assertThat(dedicated).noneMatch(LettuceConnectionFactory::isRunning);
	}

	@Test
	void aFactoryOfTheApplicationsOwnByTheGroupsNameReplacesOurs() {
		this.runner.withUserConfiguration(UserTasksRedis.class)
			.withPropertyValues("cluster.tasks.redis.database=9")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DedicatedRedis.TASKS)).isSameAs(UserTasksRedis.factory);
				assertThat(context.getBean(RedisConnectionFactory.class)).isNotSameAs(UserTasksRedis.factory);
				context.getBean(ClusterTasks.class).enqueue("user-factory", null);
				assertThat(TestRedis.keys(redis, 4, this.namespace)).isNotEmpty()
					.allMatch((key) -> key.contains(":tasks"));
			});
	}

	@Test
	void aUrlCarriesHostPortCredentialsAndDatabase() {
		ClusterRedisProperties properties = new ClusterRedisProperties();
		properties.setUrl("rediss://app:secret@redis.example.com:6390/5");
		LettuceConnectionFactory factory = DedicatedRedis.connectionFactory("cluster.cache.redis", properties, null,
				null);
		RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
		assertThat(standalone.getHostName()).isEqualTo("redis.example.com");
		assertThat(standalone.getPort()).isEqualTo(6390);
		assertThat(standalone.getDatabase()).isEqualTo(5);
		assertThat(standalone.getUsername()).isEqualTo("app");
		assertThat(standalone.getPassword().get()).containsExactly("secret".toCharArray());
		assertThat(factory.getClientConfiguration().isUseSsl()).isTrue();
	}

	@Test
	void aSentinelGroupAsksTheSentinelsForItsMaster() {
		ClusterRedisProperties properties = new ClusterRedisProperties();
		properties.getSentinel().setMaster("jobs");
		properties.getSentinel().getNodes().addAll(java.util.List.of("s1:26379", "s2:26380"));
		properties.setDatabase(2);
		LettuceConnectionFactory factory = DedicatedRedis.connectionFactory("cluster.tasks.redis", properties, null,
				null);
		assertThat(factory.getSentinelConfiguration()).isNotNull();
		assertThat(factory.getSentinelConfiguration().getMaster().getName()).isEqualTo("jobs");
		assertThat(factory.getSentinelConfiguration().getSentinels()).hasSize(2);
		assertThat(factory.getDatabase()).isEqualTo(2);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					cluster.tasks.redis.url=redis://a:1,cluster.tasks.redis.host=b | cluster.tasks.redis.url and cluster.tasks.redis.host/port are both set | Set either cluster.tasks.redis.url
					cluster.cache.redis.sentinel.master=m,cluster.cache.redis.sentinel.nodes=s:1,cluster.cache.redis.cluster.nodes=c:1 | cluster.cache.redis names more than one kind of Redis | Set only one of cluster.cache.redis.host/port (or url), cluster.cache.redis.sentinel.master/nodes or cluster.cache.redis.cluster.nodes
					cluster.messages.redis.host=a,cluster.messages.redis.cluster.nodes=c:1 | cluster.messages.redis names more than one kind of Redis | Set only one of
					cluster.messages.redis.sentinel.master=m | cluster.messages.redis.sentinel needs both the master's name and the sentinels' addresses | Set cluster.messages.redis.sentinel.master
					cluster.tasks.redis.cluster.nodes=c:1,cluster.tasks.redis.database=2 | but a Redis Cluster has only database 0 | Remove cluster.tasks.redis.database
					cluster.tasks.redis.url=http://a:1 | cluster.tasks.redis.url is not a Redis URL | Set cluster.tasks.redis.url to redis://
					cluster.cache.redis.cluster.nodes=nowhere | cluster.cache.redis.cluster.nodes holds 'nowhere', not host:port | host:port pairs
					cluster.cache.redis.ssl.bundle=missing | cluster.cache.redis.ssl.bundle names 'missing', which is not a known SSL bundle | spring.ssl.bundle.pem.missing
					cluster.transport=local,cluster.tasks.redis.host=a | cluster.tasks.redis is set, but cluster.transport=local uses no Redis | Remove cluster.tasks.redis.*
					""")
	void aMisconfiguredGroupFailsWithWhatToSet(String properties, String description, String action) {
		this.runner.withPropertyValues(properties.split(",")).run((context) -> {
			FailureAnalysis analysis = ClusterAutoConfigurationTests.analyze(context);
			assertThat(analysis.getDescription()).contains(description);
			assertThat(analysis.getAction()).contains(action);
		});
	}

	private void useEveryStore(AssertableApplicationContext context) {
		context.getBean(ClusterCache.class).save("probe", "value", Duration.ofMinutes(1));
		context.getBean(ClusterTasks.class).enqueueIn(Duration.ofHours(1), "probe", null);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTasksRedis {

		static LettuceConnectionFactory factory;

		@Bean(name = DedicatedRedis.TASKS, defaultCandidate = false)
		LettuceConnectionFactory userTasksRedis() {
			RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(redis.host(), redis.port());
			configuration.setDatabase(4);
			factory = new LettuceConnectionFactory(configuration);
			return factory;
		}

	}

}
