package dev.cohort.connections;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.redis.RedisConnectionStore;
import dev.cohort.test.redis.RedisClusterSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The directory's contract on a three-master Redis Cluster, where every directory script
 * must declare, in its keys, the one slot it touches (the prefixes of the keys it builds
 * from what it reads included).
 */
class RedisClusterModeConnectionStoreContractTests extends AbstractConnectionStoreContractTests {

	private static LettuceConnectionFactory factory;

	@BeforeAll
	static void connect() {
		factory = new LettuceConnectionFactory(new RedisClusterConfiguration(RedisClusterSet.shared().nodeAddresses()));
		factory.afterPropertiesSet();
		factory.start();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Override
	protected ConnectionStore newStore() {
		return new RedisConnectionStore(new StringRedisTemplate(factory),
				new ClusterKeys("directory-" + UUID.randomUUID(), "unused"));
	}

}
