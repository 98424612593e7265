package dev.cohort.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cache.CacheLockedException;
import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cache.LoadOptions;
import dev.cohort.cache.LockInfo;
import dev.cohort.cluster.NodeLeftEvent.Reason;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.test.redis.RedisSentinelSet;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Cohort on each Redis topology Spring Boot supports besides a single server (which the
 * other tests use): a Redis Cluster and a Sentinel-managed master with a replica. Each
 * topology is started once for its nested class; the nodes of every test get a namespace
 * of their own.
 */
class RedisTopologyTests {

	/**
	 * Generous, as the machine may be busy; the normal case takes well under a second.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** The node timeout TestNodes sets. */
	private static final long NODE_TIMEOUT_MILLIS = 1500;

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnRedisCluster {

		private RedisClusterSet cluster;

		private TestNodes nodes;

		private ConfigurableApplicationContext a;

		private ConfigurableApplicationContext b;

		private ConfigurableApplicationContext c;

		@BeforeAll
		void startCluster() {
			this.cluster = RedisClusterSet.start();
		}

		@AfterAll
		void stopCluster() {
			if (this.cluster != null) {
				this.cluster.close();
			}
		}

		@BeforeEach
		void startNodes() {
			this.nodes = TestNodes.redisCluster(this.cluster);
			this.a = this.nodes.start();
			this.b = this.nodes.start();
			this.c = this.nodes.start("cluster.node-timeout=1m");
		}

		@AfterEach
		void closeNodes() {
			this.nodes.close();
		}

		@Test
		void threeNodesSeeThreeMembersWhoseKeysShareOneSlot() {
			assertThat(this.a.getBean(RedisConnectionFactory.class)).isInstanceOfSatisfying(
					LettuceConnectionFactory.class, (factory) -> assertThat(factory.isClusterAware()).isTrue());
			List<String> ids = List.of(id(this.a), id(this.b), id(this.c));
			assertThat(ids).doesNotHaveDuplicates();
			for (ConfigurableApplicationContext context : List.of(this.a, this.b, this.c)) {
				await().atMost(TIMEOUT)
					.untilAsserted(
							() -> assertThat(context.getBean(ClusterNodes.class).members()).extracting(NodeInfo::id)
								.containsExactlyInAnyOrderElementsOf(ids));
			}
			ClusterKeys keys = this.a.getBean(ClusterKeys.class);
			RedisConnectionFactory factory = this.a.getBean(RedisConnectionFactory.class);
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			assertThat(redis.hasKey(keys.members())).isTrue();
			assertThat(redis.hasKey(keys.memberInfo())).isTrue();
			try (RedisClusterConnection connection = factory.getClusterConnection()) {
				Integer membersSlot = connection.clusterGetSlotForKey(bytes(keys.members()));
				Integer infoSlot = connection.clusterGetSlotForKey(bytes(keys.memberInfo()));
				assertThat(membersSlot).isNotNull().isEqualTo(infoSlot);
			}
		}

		@Test
		void cacheKeysSizeAndClearCoverEveryMasterAndOnlyThisNamespace() throws Exception {
			ClusterCache cacheA = this.a.getBean(ClusterCache.class);
			ClusterCache cacheB = this.b.getBean(ClusterCache.class);
			for (int i = 0; i < 300; i++) {
				cacheA.save("item:" + i, i);
			}
			cacheA.push("list", "x");
			ClusterLock lock = cacheA.tryLock("item:7", Duration.ofMinutes(1)).orElseThrow();
			ClusterKeys keys = this.a.getBean(ClusterKeys.class);
			RedisConnectionFactory factory = this.a.getBean(RedisConnectionFactory.class);
			try (RedisClusterConnection connection = factory.getClusterConnection()) {
				Set<String> masters = new HashSet<>();
				for (int i = 0; i < 300; i++) {
					int slot = connection.clusterGetSlotForKey(bytes(keys.cacheEntry("item:" + i)));
					masters.add(connection.clusterGetNodeForSlot(slot).getId());
				}
				assertThat(masters).hasSize(3);
				assertThat(connection.clusterGetSlotForKey(bytes(keys.cacheLock("item:7"))))
					.isEqualTo(connection.clusterGetSlotForKey(bytes(keys.cacheEntry("item:7"))))
					.isEqualTo(connection.clusterGetSlotForKey(bytes(keys.cacheFence("item:7"))));
			}
			try (TestNodes otherNamespace = TestNodes.redisCluster(this.cluster)) {
				ClusterCache other = otherNamespace.start().getBean(ClusterCache.class);
				other.save("item:1", "another namespace");
				assertThat(cacheB.keys()).hasSize(301);
				assertThat(cacheB.keys("item:1?")).hasSize(10);
				assertThat(cacheB.size()).isEqualTo(301);
				LoadOptions waitBriefly = LoadOptions.defaults()
					.refreshTtl(Duration.ofMinutes(5))
					.waitWhileLocked(Duration.ofMillis(100));
				assertThat(cacheB.load("item:8", Integer.class, waitBriefly)).contains(8);
				assertThatExceptionOfType(CacheLockedException.class)
					.isThrownBy(() -> cacheB.load("item:7", Integer.class, waitBriefly));
				assertThat(cacheB.locks()).extracting(LockInfo::name).containsExactly("item:7");
				ByteArrayOutputStream dump = new ByteArrayOutputStream();
				assertThat(cacheB.dump(dump)).isEqualTo(301);
				assertThat(cacheB.clear()).isEqualTo(301);
				assertThat(cacheA.size()).isZero();
				assertThat(other.load("item:1", String.class)).contains("another namespace");
				assertThat(lock.isHeld()).isTrue();
				assertThat(cacheB.restore(new ByteArrayInputStream(dump.toByteArray()))).isEqualTo(301);
				assertThat(cacheA.load("item:299", Integer.class)).contains(299);
			}
		}

		@Test
		void broadcastReachesTheTwoOtherNodes() {
			awaitMembers(3, this.a, this.b, this.c);
			this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("cluster", 1));
			for (ConfigurableApplicationContext receiver : List.of(this.b, this.c)) {
				await().atMost(TIMEOUT)
					.untilAsserted(
							() -> assertThat(recorder(receiver).greetings).containsExactly(new Greeting("cluster", 1)));
				assertThat(recorder(receiver).metadata.get(0).origin()).isEqualTo(id(this.a));
			}
			assertThat(recorder(this.a).greetings).isEmpty();
		}

		@Test
		void nodeThatStopsCleanlyLeaves() {
			awaitMembers(3, this.a, this.b, this.c);
			String cId = id(this.c);
			// c's node timeout is a minute, so only its leaving can remove it in time
			this.c.close();
			for (ConfigurableApplicationContext context : List.of(this.a, this.b)) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(recorder(context).left).singleElement()
						.satisfies((event) -> assertThat(event.node().id()).isEqualTo(cId))
						.satisfies((event) -> assertThat(event.reason()).isEqualTo(Reason.LEFT)));
				assertThat(context.getBean(ClusterNodes.class).isMember(cId)).isFalse();
			}
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	@TestMethodOrder(OrderAnnotation.class)
	class OnRedisSentinel {

		private RedisSentinelSet sentinel;

		private TestNodes nodes;

		private ConfigurableApplicationContext a;

		private ConfigurableApplicationContext b;

		private final RedisClient client = RedisClient.create();

		@BeforeAll
		void startSentinel() {
			this.sentinel = RedisSentinelSet.start();
		}

		@AfterAll
		void stopSentinel() {
			try {
				if (this.sentinel != null) {
					this.sentinel.close();
				}
			}
			finally {
				this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}

		@BeforeEach
		void startNodes() {
			this.nodes = TestNodes.redisSentinel(this.sentinel);
			this.a = this.nodes.start();
			this.b = this.nodes.start();
		}

		@AfterEach
		void closeNodes() {
			this.nodes.close();
		}

		@Test
		@Order(1)
		void twoNodesSeeEachOtherAndExchangeMessages() {
			assertThat(this.a.getBean(RedisConnectionFactory.class)).isInstanceOfSatisfying(
					LettuceConnectionFactory.class, (factory) -> assertThat(factory.isRedisSentinelAware()).isTrue());
			awaitMembers(2, this.a, this.b);
			assertThat(this.a.getBean(ClusterNodes.class).isMember(id(this.b))).isTrue();
			assertThat(this.b.getBean(ClusterNodes.class).isMember(id(this.a))).isTrue();
			this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("to b", 1));
			this.b.getBean(ClusterPubSub.class).publishTo(id(this.a), "greeting", new Greeting("to a", 2));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(recorder(this.b).greetings).containsExactly(new Greeting("to b", 1)));
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(recorder(this.a).greetings).containsExactly(new Greeting("to a", 2)));
		}

		/**
		 * Last, as it leaves the replica as the master and the initial master dead.
		 */
		@Test
		@Order(2)
		void nodesKeepEachOtherAndExchangeMessagesAfterFailover() {
			awaitMembers(2, this.a, this.b);
			this.a.getBean(ClusterPubSub.class).publish("greeting", new Greeting("before", 0));
			await().atMost(TIMEOUT).until(() -> recorder(this.b).greetings.contains(new Greeting("before", 0)));
			long killedAt = System.currentTimeMillis();
			this.sentinel.killMaster();
			awaitPromotion();
			// Both nodes heartbeat again, now on the promoted replica: their deadlines
			// (heartbeat time + node timeout, on the server's clock, which is this
			// machine's) are past what any heartbeat before the kill could have set
			String members = this.a.getBean(ClusterKeys.class).members();
			double afterKill = killedAt + NODE_TIMEOUT_MILLIS;
			try (StatefulRedisConnection<String, String> newMaster = this.client
				.connect(RedisURI.create(this.sentinel.replica().uri()))) {
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(
							newMaster.sync().zrangebyscore(members, Range.create(afterKill, Double.POSITIVE_INFINITY)))
						.containsExactlyInAnyOrder(id(this.a), id(this.b)));
			}
			awaitMembers(2, this.a, this.b);
			// Pub/sub does not store messages: ones sent before a node has resubscribed
			// are lost by design, so keep sending new ones until one gets through
			awaitDelivery(this.a, this.b, "a to b after failover");
			awaitDelivery(this.b, this.a, "b to a after failover");
		}

		private void awaitPromotion() {
			for (int port : this.sentinel.sentinelPorts()) {
				try (StatefulRedisSentinelConnection<String, String> connection = this.client
					.connectSentinel(RedisURI.create("127.0.0.1", port))) {
					await().atMost(TIMEOUT).untilAsserted(() -> {
						SocketAddress master = connection.sync().getMasterAddrByName(this.sentinel.masterName());
						assertThat(master).isInstanceOfSatisfying(InetSocketAddress.class,
								(inet) -> assertThat(inet.getPort()).isEqualTo(this.sentinel.replica().port()));
					});
				}
			}
		}

		private void awaitDelivery(ConfigurableApplicationContext from, ConfigurableApplicationContext to,
				String text) {
			AtomicInteger attempt = new AtomicInteger();
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				// A broadcast, which with two nodes reaches just the other one, so that
				// the sender's view of the members does not matter here
				from.getBean(ClusterPubSub.class).publish("greeting", new Greeting(text, attempt.incrementAndGet()));
				assertThat(recorder(to).greetings).extracting(Greeting::text).contains(text);
			});
		}

	}

	private static void awaitMembers(int count, ConfigurableApplicationContext... contexts) {
		for (ConfigurableApplicationContext context : contexts) {
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(context.getBean(ClusterNodes.class).members()).hasSize(count));
		}
	}

	private static Recorder recorder(ConfigurableApplicationContext context) {
		return context.getBean(Recorder.class);
	}

	private static String id(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class).self().id();
	}

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

}
