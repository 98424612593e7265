package dev.cohort.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The blocking {@code pop} on Redis waits on a few pooled connections, not on a new one
 * per call. A Redis of its own, so that the connections it counts are this test's.
 */
class RedisCachePopConnectionsTests {

	private static RedisServer redis;

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private ClusterCache cache;

	private StringRedisTemplate template;

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void startNode() {
		this.nodes = TestNodes.redis(redis);
		// No task worker, whose own BLPOP would count among the blocked clients.
		this.node = this.nodes.start("cluster.cache.pop-connections=2", "cluster.role=server");
		this.cache = this.node.getBean(ClusterCache.class);
		this.template = new StringRedisTemplate(this.node.getBean(RedisConnectionFactory.class));
	}

	@AfterEach
	void closeNode() {
		this.nodes.close();
	}

	@Test
	void manyBlockingPopsReuseTheirConnections() {
		long opened = connectionsOpened();
		for (int i = 0; i < 30; i++) {
			this.cache.push("queue", i);
			assertThat(this.cache.pop("queue", Integer.class, Duration.ofSeconds(10))).contains(i);
			assertThat(this.cache.pop("queue", Integer.class, Duration.ofMillis(20))).isEmpty();
		}
		assertThat(connectionsOpened() - opened).isLessThanOrEqualTo(1);
	}

	@Test
	void morePoppersThanConnectionsWaitForOneAndEachGetsAnElement() throws Exception {
		long opened = connectionsOpened();
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			List<CompletableFuture<Optional<Integer>>> pops = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				pops.add(CompletableFuture
					.supplyAsync(() -> this.cache.pop("queue", Integer.class, Duration.ofSeconds(60)), threads));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() == 2);
			for (int i = 0; i < 6; i++) {
				this.cache.push("queue", i);
			}
			Set<Integer> popped = new HashSet<>();
			for (CompletableFuture<Optional<Integer>> pop : pops) {
				popped.add(pop.get(30, TimeUnit.SECONDS).orElseThrow());
			}
			assertThat(popped).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(connectionsOpened() - opened).isLessThanOrEqualTo(2);
		// What the context does when it stops: the pooled connections are closed.
		long connected = connectedClients();
		((AutoCloseable) this.node.getBean(CacheStore.class)).close();
		await().atMost(Duration.ofSeconds(10)).until(this::connectedClients, (now) -> now == connected - 2);
	}

	@Test
	void pooledConnectionsServeAgainAfterARedisRestart() {
		this.cache.push("queue", 1);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofSeconds(10))).contains(1);
		redis.kill();
		redis.restart();
		this.cache.push("queue", 2);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofSeconds(10))).contains(2);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofMillis(20))).isEmpty();
	}

	@Test
	void blockingPopsWithRedisStoppedFailWithADataAccessExceptionAndServeAgainAfterARestart() {
		this.cache.push("queue", 1);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofSeconds(10))).contains(1);
		redis.stop();
		// On the pooled connection, open before Redis stopped: the command waits for a
		// reconnection that does not come, until its timeout.
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.cache.pop("queue", Integer.class, Duration.ofMillis(100)))
			.isInstanceOf(QueryTimeoutException.class);
		// That connection is dropped: the next pop opens one, and Redis refuses it.
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.cache.pop("queue", Integer.class, Duration.ofMillis(100)))
			.isInstanceOf(RedisConnectionFailureException.class);
		redis.restart();
		this.cache.push("queue", 2);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofSeconds(10))).contains(2);
		assertThat(this.cache.pop("queue", Integer.class, Duration.ofMillis(20))).isEmpty();
	}

	private long connectionsOpened() {
		return info("stats", "total_connections_received");
	}

	private long blockedClients() {
		return info("clients", "blocked_clients");
	}

	private long connectedClients() {
		return info("clients", "connected_clients");
	}

	private long info(String section, String field) {
		Properties info = this.template.execute((RedisCallback<Properties>) (c) -> c.serverCommands().info(section));
		return Long.parseLong(info.getProperty(field));
	}

}
