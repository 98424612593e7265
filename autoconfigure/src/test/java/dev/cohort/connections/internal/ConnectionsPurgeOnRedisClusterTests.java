package dev.cohort.connections.internal;

import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.testapp.TestNodes;

/**
 * The purge of a node with many connections on the shared three-master Redis Cluster,
 * where the dead node's keys, its rooms' and the connection index's buckets are on
 * different masters: each step runs one script per hash tag.
 */
class ConnectionsPurgeOnRedisClusterTests extends ConnectionsPurgeTests {

	@Override
	TestNodes nodes() {
		return TestNodes.redisCluster(RedisClusterSet.shared());
	}

}
