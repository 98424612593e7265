package dev.cohort.operations;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.tasks.JobRecord;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link ClusterOperations} on three nodes sharing a real Redis (two with a web server
 * and a WebSocket client each, one without), every write checked in Redis's keys.
 */
class RedisClusterOperationsTests extends AbstractClusterOperationsTests {

	@Override
	protected TestNodes createNodes() {
		return TestNodes.redis(RedisServer.shared());
	}

	@Override
	protected int startNodes() {
		String[] properties = { SOURCES, "test.tasks.recurring=true", "test.tasks.frequency=1h" };
		this.contexts.add(this.nodes.startWeb(properties));
		this.contexts.add(this.nodes.startWeb(properties));
		this.contexts.add(this.nodes.start(properties));
		return 2;
	}

	@Override
	protected boolean storeHasFailed(String jobId) {
		return redis().opsForZSet().score(queueKey(jobId, "failed"), jobId) != null;
	}

	@Override
	protected boolean storeHasJob(String jobId) {
		return redis().opsForHash().hasKey(queueKey(jobId, "jobs"), jobId);
	}

	@Override
	protected boolean storeHasLock(String name) {
		return redis().hasKey(keys().cacheLock(name));
	}

	@Override
	protected boolean directoryHas(String connectionId, String nodeId) {
		Object holder = redis().opsForHash().get(keys().chatHolders(connectionId), connectionId);
		Boolean listed = redis().opsForSet().isMember(keys().chatNodeConnections(nodeId), connectionId);
		return nodeId.equals(holder) && Boolean.TRUE.equals(listed);
	}

	private String queueKey(String jobId, String name) {
		return keys().taskQueue(JobRecord.queueOf(jobId)) + ":" + name;
	}

	private ClusterKeys keys() {
		return first().getBean(ClusterKeys.class);
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(first().getBean(RedisConnectionFactory.class));
	}

}
