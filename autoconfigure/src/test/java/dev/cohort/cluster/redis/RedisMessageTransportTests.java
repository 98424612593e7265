package dev.cohort.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What happens to asynchronous publishes while the connection to Redis is lost, with the
 * client options Spring Boot gives Lettuce (command timeouts on, Lettuce's defaults
 * otherwise: auto-reconnect, commands accepted while disconnected, an unbounded request
 * queue).
 */
class RedisMessageTransportTests {

	private static final byte[] FRAME = "{}".getBytes(StandardCharsets.UTF_8);

	private RedisServer redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisMessageTransport transport;

	@BeforeEach
	void setUp() {
		this.redis = RedisServer.start();
		this.connectionFactory = connectionFactory(Duration.ofSeconds(60));
		this.transport = transport(this.connectionFactory);
	}

	private LettuceConnectionFactory connectionFactory(Duration commandTimeout) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled()).build())
			.commandTimeout(commandTimeout)
			.build();
		return TestRedis.connectionFactory(this.redis, client);
	}

	private static RedisMessageTransport transport(LettuceConnectionFactory connectionFactory) {
		return new RedisMessageTransport(connectionFactory, new ClusterKeys("transport", "transport"),
				new RedisMessageListenerContainer());
	}

	@AfterEach
	void tearDown() {
		this.connectionFactory.destroy();
		this.redis.close();
	}

	@Test
	void lettuceKeepsAPublishWhileDisconnectedAndSendsItAfterReconnecting() throws Exception {
		this.transport.sendAsync("node-a", FRAME).get(10, TimeUnit.SECONDS);
		this.redis.kill();
		awaitDisconnected();
		CompletableFuture<Void> sent = this.transport.sendAsync("node-a", FRAME);
		assertThat(sent).as("neither refused nor failed while disconnected").isNotDone();
		this.redis.restart();
		sent.get(60, TimeUnit.SECONDS);
		assertThat(publishesSinceStart()).isEqualTo(1);
	}

	@Test
	void cancelledPublishIsNotSentAfterReconnecting() throws Exception {
		this.transport.sendAsync("node-a", FRAME).get(10, TimeUnit.SECONDS);
		this.redis.kill();
		awaitDisconnected();
		CompletableFuture<Void> cancelled = this.transport.sendAsync("node-a", FRAME);
		CompletableFuture<Void> kept = this.transport.sendAsync("node-a", FRAME);
		cancelled.cancel(false);
		this.redis.restart();
		kept.get(60, TimeUnit.SECONDS);
		assertThat(publishesSinceStart()).isEqualTo(1);
	}

	/**
	 * Fails as a synchronous publish would, with Spring's exception, not Lettuce's: RPC
	 * calls whose request timed out in Redis fail with it.
	 */
	@Test
	void publishThatRedisDoesNotAnswerInTimeFailsWithSpringsTimeoutException() throws Exception {
		LettuceConnectionFactory quick = connectionFactory(Duration.ofMillis(300));
		try {
			RedisMessageTransport transport = transport(quick);
			transport.sendAsync("node-a", FRAME).get(10, TimeUnit.SECONDS);
			this.redis.pause();
			try {
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> transport.sendAsync("node-a", FRAME).get(10, TimeUnit.SECONDS))
					.withCauseInstanceOf(QueryTimeoutException.class);
			}
			finally {
				this.redis.resume();
			}
		}
		finally {
			quick.destroy();
		}
	}

	private void awaitDisconnected() {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return !((RedisAsyncCommands<?, ?>) connection.getNativeConnection()).getStatefulConnection().isOpen();
			}
		});
	}

	/**
	 * How many {@code PUBLISH} commands the server has run since it (re)started.
	 */
	private long publishesSinceStart() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			String publish = stats.getProperty("cmdstat_publish");
			if (publish == null) {
				return 0;
			}
			return Long.parseLong(publish.replaceAll(".*\\bcalls=(\\d+).*", "$1"));
		}
	}

}
