package dev.cohort.connections;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.redis.RedisConnectionStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The directory's contract on the Redis scripts, against a real {@code redis-server}.
 */
class RedisConnectionStoreContractTests extends AbstractConnectionStoreContractTests {

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void connect() {
		RedisServer server = RedisServer.shared();
		connectionFactory = TestRedis.connectionFactory(server);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected ConnectionStore newStore() {
		return new RedisConnectionStore(new StringRedisTemplate(connectionFactory),
				new ClusterKeys("directory-" + UUID.randomUUID(), "unused"));
	}

}
