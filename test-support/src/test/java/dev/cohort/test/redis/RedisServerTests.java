package dev.cohort.test.redis;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisServer}.
 */
class RedisServerTests {

	private static RedisClient client;

	@BeforeAll
	static void createClient() {
		client = RedisClient.create();
	}

	@AfterAll
	static void shutdownClient() {
		client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	@Test
	void startsAServerWithoutPersistenceOnAFreeLoopbackPort() {
		try (RedisServer server = RedisServer.start()) {
			assertThat(server.host()).isEqualTo("127.0.0.1");
			assertThat(server.port()).isNotEqualTo(6379);
			assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
			assertThat(server.isRunning()).isTrue();
			try (StatefulRedisConnection<String, String> connection = connect(server)) {
				RedisCommands<String, String> redis = connection.sync();
				redis.set("greeting", "hello");
				assertThat(redis.get("greeting")).isEqualTo("hello");
				assertThat(redis.configGet("save")).containsEntry("save", "");
				assertThat(redis.configGet("appendonly")).containsEntry("appendonly", "no");
				assertThat(redis.configGet("bind")).containsEntry("bind", "127.0.0.1");
			}
		}
	}

	@Test
	void appliesExtraArguments() {
		try (RedisServer server = RedisServer.start("--maxmemory", "10mb");
				StatefulRedisConnection<String, String> connection = connect(server)) {
			assertThat(connection.sync().configGet("maxmemory")).containsEntry("maxmemory", "10485760");
		}
	}

	@Test
	void killTerminatesTheProcessAbruptly() {
		try (RedisServer server = RedisServer.start()) {
			server.kill();
			assertThat(server.isRunning()).isFalse();
			assertThat(server.logTail()).doesNotContain("bye bye");
			assertConnectionRefused(server);
		}
	}

	@Test
	void stopShutsDownGracefullyAndCloseCanBeRepeated() {
		RedisServer server = RedisServer.start();
		server.stop();
		assertThat(server.isRunning()).isFalse();
		assertThat(server.logTail()).contains("Redis is now ready to exit, bye bye");
		assertConnectionRefused(server);
		server.close();
		server.close();
	}

	@Test
	void pausedServerAnswersNothingUntilResumed() {
		try (RedisServer server = RedisServer.start();
				StatefulRedisConnection<String, String> connection = connect(server)) {
			connection.setTimeout(Duration.ofMillis(300));
			server.pause();
			assertThat(server.isRunning()).isTrue();
			assertThatExceptionOfType(RedisCommandTimeoutException.class).isThrownBy(() -> connection.sync().ping());
			server.resume();
			connection.setTimeout(Duration.ofSeconds(5));
			assertThat(connection.sync().ping()).isEqualTo("PONG");
		}
	}

	@Test
	void closeStopsAPausedServer() {
		RedisServer server = RedisServer.start();
		server.pause();
		server.close();
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void restartStartsAKilledServerOnTheSamePort() {
		try (RedisServer server = RedisServer.start("--appendonly", "yes", "--appendfsync", "always")) {
			int port = server.port();
			try (StatefulRedisConnection<String, String> connection = connect(server)) {
				connection.sync().set("kept", "on disk");
			}
			assertThatIllegalStateException().isThrownBy(server::restart);
			server.kill();
			server.restart();
			assertThat(server.port()).isEqualTo(port);
			assertThat(server.isRunning()).isTrue();
			try (StatefulRedisConnection<String, String> connection = connect(server)) {
				assertThat(connection.sync().get("kept")).isEqualTo("on disk");
			}
		}
	}

	@Test
	void closeStopsTheServer() {
		RedisServer server = RedisServer.start();
		server.close();
		assertThat(server.isRunning()).isFalse();
		assertConnectionRefused(server);
	}

	@Test
	void failureToStartReportsTheLog() {
		assertThatIllegalStateException().isThrownBy(() -> RedisServer.start("--no-such-directive", "yes"))
			.withMessageContaining("exited with code 1")
			.withMessageContaining("Bad directive or wrong number of arguments");
	}

	@Test
	void sharedIsOneServerPerJvmThatTestsCannotStop() {
		RedisServer shared = RedisServer.shared();
		assertThat(RedisServer.shared()).isSameAs(shared);
		assertThat(shared.port()).isNotEqualTo(6379);
		assertThatIllegalStateException().isThrownBy(shared::stop);
		assertThatIllegalStateException().isThrownBy(shared::kill);
		assertThatIllegalStateException().isThrownBy(shared::pause);
		assertThatIllegalStateException().isThrownBy(shared::restart);
		shared.close();
		assertThat(shared.isRunning()).isTrue();
		String key = "shared-" + UUID.randomUUID();
		try (StatefulRedisConnection<String, String> connection = connect(shared)) {
			connection.sync().set(key, "value");
			assertThat(connection.sync().get(key)).isEqualTo("value");
		}
	}

	private static StatefulRedisConnection<String, String> connect(RedisServer server) {
		return client.connect(RedisURI.create(server.uri()));
	}

	private static void assertConnectionRefused(RedisServer server) {
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(server.host(), server.port()), 1000);
			}
		}).withMessageContaining("refused");
	}

}
