package dev.cohort.connections;

import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.redis.RedisConnectionStore;
import dev.cohort.testapp.SharedRedisClusterConnection;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The directory's contract on a three-master Redis Cluster: every directory key shares
 * one hash tag, so each script runs on one master, and every script declares in its keys
 * the one slot it touches (the prefixes of the keys it builds from what it reads
 * included).
 */
class ConnectionStoreOnRedisClusterContractTests extends AbstractConnectionStoreContractTests {

	@RegisterExtension
	static final SharedRedisClusterConnection cluster = new SharedRedisClusterConnection();

	@Override
	protected ConnectionStore newStore() {
		return new RedisConnectionStore(new StringRedisTemplate(cluster.factory()),
				new ClusterKeys("directory-" + UUID.randomUUID(), "unused"));
	}

}
