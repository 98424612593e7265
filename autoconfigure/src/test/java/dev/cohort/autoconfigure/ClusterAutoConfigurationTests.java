package dev.cohort.autoconfigure;

import java.time.Duration;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeRole;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.local.LocalMembershipStore;
import dev.cohort.cluster.local.LocalMessageTransport;
import dev.cohort.cluster.message.MessageTransport;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.micrometer.MicrometerClusterMetrics;
import dev.cohort.cluster.redis.RedisMembershipStore;
import dev.cohort.cluster.redis.RedisMessageTransport;
import dev.cohort.pubsub.ClusterMessageHandler;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.pubsub.ClusterSubscription;
import dev.cohort.pubsub.internal.DefaultClusterPubSub;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * The auto-configuration: its defaults, every property, user beans, the failures that
 * explain themselves, and the local transport.
 */
class ClusterAutoConfigurationTests {

	private static final RedisServer redis = RedisServer.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ClusterAutoConfiguration.class, ClusterPubSubAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"cluster.server-token=" + TestNodes.TOKEN);

	@Test
	void defaultsMakeARedisNode() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			ClusterProperties properties = context.getBean(ClusterProperties.class);
			assertThat(properties.getTransport()).isEqualTo(ClusterProperties.Transport.REDIS);
			assertThat(properties.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getMessages().getMaxAge()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getPubsub().isReceiveOwnBroadcasts()).isFalse();
			assertThat(context.getBean(MembershipStore.class)).isInstanceOf(RedisMembershipStore.class);
			assertThat(context.getBean(MessageTransport.class)).isInstanceOf(RedisMessageTransport.class);
			assertThat(context.getBean(ClusterNodes.class)).isInstanceOf(ClusterMembership.class);
			assertThat(context.getBean(ClusterPubSub.class)).isInstanceOf(DefaultClusterPubSub.class);
			assertThat(context.getBean(ClusterKeys.class).namespace()).isEqualTo("cohort");
			assertThat(context.getBean(ClusterKeys.class).channel()).isEqualTo("cohort:cluster");
			NodeInfo self = context.getBean(NodeInfo.class);
			assertThat(self.role()).isEqualTo(NodeRole.ALL);
			assertThat(self.id()).matches("cohort-all-\\d+");
			assertThat(context.getBean(ClusterMetrics.class)).isSameAs(ClusterMetrics.NONE);
		});
	}

	@Test
	void everyPropertyTakesEffect() {
		this.runner
			.withPropertyValues("spring.application.name=shop", "cluster.role=worker", "cluster.namespace=shop-ns",
					"cluster.channel=shop-channel", "cluster.heartbeat-interval=300ms", "cluster.node-timeout=3s",
					"cluster.messages.max-age=7s", "cluster.messages.max-size=64KB",
					"cluster.pubsub.receive-own-broadcasts=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NodeInfo self = context.getBean(NodeInfo.class);
				assertThat(self.id()).matches("shop-worker-\\d+");
				assertThat(self.role()).isEqualTo(NodeRole.WORKER);
				assertThat(context.getBean(ClusterKeys.class).namespace()).isEqualTo("shop-ns");
				assertThat(context.getBean(ClusterKeys.class).channel()).isEqualTo("shop-channel");
				assertThat(context.getBean(ClusterKeys.class).members()).startsWith("{shop-ns:nodes}");
				ClusterProperties properties = context.getBean(ClusterProperties.class);
				assertThat(properties.getHeartbeatInterval()).isEqualTo(Duration.ofMillis(300));
				assertThat(properties.getNodeTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getMessages().getMaxAge()).isEqualTo(Duration.ofSeconds(7));
				assertThat(properties.getMessages().getMaxSize().toKilobytes()).isEqualTo(64);
				assertThat(properties.getPubsub().isReceiveOwnBroadcasts()).isTrue();
			});
	}

	@Test
	void configuredNodeIdIsUsedAsIs() {
		this.runner.withPropertyValues("cluster.node-id=edge-7", "cluster.role=server").run((context) -> {
			assertThat(context.getBean(ClusterNodes.class).self().id()).isEqualTo("edge-7");
			assertThat(context.getBean(ClusterNodes.class).self().role()).isEqualTo(NodeRole.SERVER);
		});
	}

	@Test
	void missingServerTokenFailsWithWhatToSet() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ClusterAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redis.port())
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("No server token is configured");
				assertThat(analysis.getAction()).contains("Set cluster.server-token")
					.contains("at least 32 characters");
			});
	}

	@Test
	void missingServerTokenFailsBeforeRedisIsTouched() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ClusterAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=1")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("No server token is configured"));
	}

	@Test
	void unresolvedPlaceholderInTheTokenIsNamed() {
		this.runner.withPropertyValues("cluster.server-token=${NO_SUCH_VARIABLE_FOR_COHORT}").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("unresolved placeholder");
			assertThat(analysis.getAction()).contains("${CLUSTER_SERVER_TOKEN:}");
		});
	}

	@Test
	void unresolvedPlaceholderNeverShowsAnyPartOfTheToken() {
		String secretPart = "s3cret-first-half-of-the-token-0123456789";
		this.runner
			.withPropertyValues("cluster.server-token=" + secretPart + "${NO_SUCH_VARIABLE_FOR_COHORT}",
					"cluster.previous-server-tokens=" + secretPart + "-old${NO_SUCH_VARIABLE_FOR_COHORT}")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("unresolved placeholder");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret");
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret");
				}
			});
		this.runner.withPropertyValues("cluster.server-token=" + secretPart + "${NO_SUCH_VARIABLE_FOR_COHORT}")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("cluster.server-token")
				.doesNotContain("s3cret"));
	}

	@Test
	void shortServerTokenFails() {
		this.runner.withPropertyValues("cluster.server-token=too-short").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("cluster.server-token is too short");
		});
	}

	@Test
	void shortPreviousServerTokenFails() {
		this.runner.withPropertyValues("cluster.previous-server-tokens=short").run((context) -> {
			assertThat(analyze(context).getDescription()).contains("cluster.previous-server-tokens[0] is too short");
		});
	}

	@Test
	void nodeTimeoutShorterThanTwoHeartbeatsFails() {
		this.runner.withPropertyValues("cluster.heartbeat-interval=2s", "cluster.node-timeout=3s").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("cluster.node-timeout (PT3S)");
			assertThat(analysis.getAction()).contains("at least twice cluster.heartbeat-interval");
		});
	}

	@Test
	void unusableNodeIdFails() {
		this.runner.withPropertyValues("cluster.node-id=*").run((context) -> {
			assertThat(analyze(context).getAction()).contains("Set cluster.node-id");
		});
	}

	@Test
	void blankChannelFails() {
		this.runner.withPropertyValues("cluster.channel= ").run((context) -> {
			assertThat(analyze(context).getDescription()).contains("cluster.channel is blank");
		});
	}

	@Test
	void tooShortHeartbeatIntervalFails() {
		this.runner.withPropertyValues("cluster.heartbeat-interval=1ms").run((context) -> {
			assertThat(analyze(context).getDescription()).contains("cluster.heartbeat-interval must be at least");
		});
	}

	@Test
	void unusableNamespaceFails() {
		this.runner.withPropertyValues("cluster.namespace=has space").run((context) -> {
			assertThat(analyze(context).getAction()).contains("Set cluster.namespace");
		});
	}

	@Test
	void unreachableRedisFailsWithWhatToDo() {
		this.runner.withPropertyValues("spring.data.redis.port=1").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Redis is unreachable");
			assertThat(analysis.getAction()).contains("spring.data.redis.host").contains("cluster.transport=local");
		});
	}

	@Test
	void redisUserThatMayNotSubscribeToTheNodeChannelFailsWithWhatToAllow() {
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync()
				.aclSetuser("cohort-limited",
						AclSetuserArgs.Builder.on()
							.addPassword("limited-password")
							.keyPattern("*")
							.channelPattern("acl-test:cluster")
							.allCommands());
		}
		finally {
			client.shutdown();
		}
		this.runner
			.withPropertyValues("spring.data.redis.username=cohort-limited",
					"spring.data.redis.password=limited-password", "cluster.namespace=acl-test")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("could not subscribe").contains("NOPERM");
				assertThat(analysis.getAction()).contains("SUBSCRIBE").contains("'acl-test:cluster:node:*'");
			});
	}

	@Test
	void localTransportNeedsNoRedisAndNoToken() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ClusterAutoConfiguration.class, ClusterPubSubAutoConfiguration.class))
			.withPropertyValues("cluster.transport=local", "spring.data.redis.port=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MembershipStore.class)).isInstanceOf(LocalMembershipStore.class);
				assertThat(context.getBean(MessageTransport.class)).isInstanceOf(LocalMessageTransport.class);
				assertThat(context.getBean(ClusterNodes.class).members()).extracting(NodeInfo::id)
					.containsExactly(context.getBean(NodeInfo.class).id());
			});
	}

	@Test
	void disabledMakesNoNode() {
		this.runner.withPropertyValues("cluster.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ClusterBus.class);
			assertThat(context).doesNotHaveBean(ClusterNodes.class);
			assertThat(context).doesNotHaveBean(ClusterPubSub.class);
		});
	}

	@Test
	void meterRegistryTurnsOnMicrometerMetrics() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context.getBean(ClusterMetrics.class)).isInstanceOf(MicrometerClusterMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("cohort.cluster.members").gauge()).isNotNull();
			assertThat(registry.find("cohort.messages.rejected").tag("reason", "bad-signature").counter()).isNotNull();
		});
	}

	@Test
	void userBeansReplaceOurs() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ClusterMetrics.class)).isSameAs(UserBeans.METRICS);
			assertThat(context.getBean(MembershipStore.class)).isInstanceOf(LocalMembershipStore.class);
			ClusterPubSub pubSub = context.getBean(ClusterPubSub.class);
			assertThat(pubSub).isSameAs(context.getBean("userPubSub"));
			then(pubSub).should()
				.subscribe(eq("user-type"), any(ParameterizedTypeReference.class), any(ClusterMessageHandler.class));
		});
	}

	/**
	 * The failure analysis of a context that failed to start, checked to be Cohort's own.
	 */
	static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		FailureAnalysis analysis = new ClusterConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(ClusterConfigurationException.class);
		return analysis;
	}

	static class UserHandler {

		@ClusterSubscription("user-type")
		void on(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final ClusterMetrics METRICS = new ClusterMetrics() {
		};

		@Bean
		ClusterMetrics userMetrics() {
			return METRICS;
		}

		@Bean
		MembershipStore userMembershipStore() {
			return new LocalMembershipStore();
		}

		@Bean
		ClusterPubSub userPubSub() {
			return mock(ClusterPubSub.class);
		}

		@Bean
		UserHandler userHandler() {
			return new UserHandler();
		}

	}

}
