package dev.cohort.testapp;

import java.util.Map;
import java.util.Optional;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRefusedException;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.rpc.ConnectionLocator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A node for tests: Cohort's auto-configuration plus a {@link Recorder} of everything it
 * receives. Its {@code main} runs a node in a separate process, for crash tests.
 */
@SpringBootApplication
@EnableCaching
@Import({ Recorder.class, RpcEndpoints.class, CachedSquares.class, TaskEndpoints.class, JobEventLog.class,
		TaskMiddlewareLog.class, ChatHooks.class })
public class TestNodeApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	@Primary
	GreetingValidator greetingValidator() {
		return new GreetingValidator();
	}

	/**
	 * With {@code test.connections.locator=properties}, finds connections where the
	 * property {@code test.connections.<connection id>} says they are, for tests that
	 * need a connection on a node without a WebSocket client. Without it, the node uses
	 * Cohort's own locator on the connection directory, as an application does.
	 * @param environment the environment
	 * @return the locator
	 */
	@Bean
	@ConditionalOnProperty(name = "test.connections.locator", havingValue = "properties")
	ConnectionLocator testConnectionLocator(Environment environment) {
		return (connectionId) -> Optional.ofNullable(environment.getProperty("test.connections." + connectionId));
	}

	@Bean
	QueryHandshakeHandler queryHandshakeHandler() {
		return new QueryHandshakeHandler();
	}

	@Bean
	HeaderAuthenticationFilter headerAuthenticationFilter() {
		return new HeaderAuthenticationFilter();
	}

	@Bean
	@ConditionalOnBooleanProperty("test.tasks.recurring")
	RecurringTicks recurringTicks(ObjectProvider<TaskLog> log, ClusterNodes nodes) {
		return new RecurringTicks(log, nodes);
	}

	@Bean
	@ConditionalOnProperty("test.tasks.log-key")
	TaskLog taskLog(RedisConnectionFactory connectionFactory, Environment environment) {
		return new TaskLog(connectionFactory, environment.getRequiredProperty("test.tasks.log-key"));
	}

	/**
	 * Refuses joins to rooms whose name starts with {@code locked-}, and to rooms whose
	 * name starts with {@code users-} of clients without a user, and adds a prefix to
	 * what is said in rooms whose name starts with {@code loud-}.
	 * @return the middleware
	 */
	@Bean
	ChatMiddleware testChatMiddleware() {
		return new ChatMiddleware() {

			@Override
			public void join(String connectionId, Map<String, Object> attributes, String room) {
				if (room.startsWith("locked-")) {
					throw new ChatRefusedException("Room '" + room + "' is locked");
				}
				if (room.startsWith("users-") && !attributes.containsKey(ConnectionInfo.USER_ATTRIBUTE)) {
					throw new ChatRefusedException("Room '" + room + "' is for users who signed in");
				}
			}

			@Override
			public Object say(String connectionId, Map<String, Object> attributes, String room, Object message) {
				return room.startsWith("loud-") ? "LOUD: " + message : message;
			}

		};
	}

	public static void main(String[] args) {
		SpringApplication.run(TestNodeApplication.class, args);
	}

}
