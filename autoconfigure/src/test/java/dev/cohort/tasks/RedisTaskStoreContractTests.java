package dev.cohort.tasks;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.redis.BlockingRedis;
import dev.cohort.tasks.redis.RedisTaskStore;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The task store's contract in Redis.
 */
class RedisTaskStoreContractTests extends AbstractTaskStoreContractTests {

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
	protected TaskStore createStore() {
		return new RedisTaskStore(new StringRedisTemplate(connectionFactory),
				new ClusterKeys("store-" + UUID.randomUUID(), "unused"), new BlockingRedis(connectionFactory));
	}

}
