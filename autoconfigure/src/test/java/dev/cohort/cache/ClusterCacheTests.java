package dev.cohort.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.CachedSquares.Square;
import dev.cohort.testapp.CachedSquares;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster cache shared by three nodes (application contexts) on one real Redis. The
 * three nodes serve every test of the class (starting them per test was most of its
 * time); each test leaves the namespace without values, lists or locks.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ClusterCacheTests {

	private static final int INCREMENTS = 10_000;

	private static final int THREADS_PER_NODE = 8;

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	private final List<ClusterCache> caches = new ArrayList<>();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	void startThreeNodes() {
		for (int i = 0; i < 3; i++) {
			ConfigurableApplicationContext context = this.nodes.start();
			this.contexts.add(context);
			this.caches.add(context.getBean(ClusterCache.class));
		}
	}

	@AfterEach
	void emptyTheNamespace() {
		ClusterCache cache = this.caches.get(0);
		cache.clear();
		cache.locks().forEach((lock) -> cache.releaseLock(lock.name()));
	}

	@AfterAll
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void aValueSavedOnOneNodeIsReadOnTheOthers() {
		this.caches.get(0).save("greeting", new Greeting("from a", 1));
		this.caches.get(0).push("list", "x");
		for (ClusterCache cache : this.caches) {
			assertThat(cache.load("greeting", Greeting.class)).contains(new Greeting("from a", 1));
			assertThat(cache.length("list")).isEqualTo(1);
		}
		assertThat(this.caches.get(2).destroy("greeting")).isTrue();
		assertThat(this.caches.get(1).exists("greeting")).isFalse();
	}

	@Test
	void timesToLiveExpireForEveryNode() {
		this.caches.get(0).save("short", "gone soon", Duration.ofMillis(300));
		assertThat(this.caches.get(1).ttl("short")).isPresent();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.caches.get(2).exists("short"));
		assertThat(this.caches.get(1).load("short", String.class)).isEmpty();
	}

	@Test
	void lockedIncrementsFromThreeNodesAndTwentyFourThreadsAreExact() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(3 * THREADS_PER_NODE);
		AtomicInteger tickets = new AtomicInteger();
		AtomicInteger staleFences = new AtomicInteger();
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (ClusterCache cache : this.caches) {
				for (int t = 0; t < THREADS_PER_NODE; t++) {
					workers.add(threads.submit(() -> {
						while (tickets.getAndIncrement() < INCREMENTS) {
							lockedIncrement(cache, staleFences);
						}
					}));
				}
			}
			for (Future<?> worker : workers) {
				worker.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.caches.get(1).load("counter", Counter.class))
			.hasValueSatisfying((counter) -> assertThat(counter.count()).isEqualTo(INCREMENTS));
		assertThat(staleFences).hasValue(0);
		assertThat(this.caches.get(2).checkLock("counter")).isEmpty();
	}

	/**
	 * A plain read then write, which only the lock makes safe; each holder also checks
	 * that its fencing token is larger than the last holder's.
	 */
	private static void lockedIncrement(ClusterCache cache, AtomicInteger staleFences) {
		ClusterLock lock = cache.tryLock("counter", Duration.ofSeconds(30), Duration.ofMinutes(1)).orElseThrow();
		try {
			Counter counter = cache.load("counter", Counter.class).orElse(new Counter(0, 0));
			if (lock.fencingToken() <= counter.lastFence()) {
				staleFences.incrementAndGet();
			}
			cache.save("counter", new Counter(counter.count() + 1, lock.fencingToken()));
		}
		finally {
			lock.unlock();
		}
	}

	@Test
	void aLockHeldOnOneNodeCannotBeTakenOrReleasedFromAnother() {
		ClusterLock lock = this.caches.get(0).tryLock("resource", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.caches.get(1).tryLock("resource", Duration.ofMinutes(1))).isEmpty();
		CacheStore otherStore = this.contexts.get(1).getBean(CacheStore.class);
		assertThat(otherStore.unlock("resource", "not-the-holder")).isFalse();
		assertThat(otherStore.extend("resource", "not-the-holder", Duration.ofMillis(1))).isFalse();
		String holder = this.contexts.get(0).getBean(dev.cohort.cluster.ClusterNodes.class).self().id();
		assertThat(this.caches.get(2).checkLock("resource"))
			.hasValueSatisfying((info) -> assertThat(info.nodeId()).isEqualTo(holder));
		assertThat(this.caches.get(2).locks()).extracting(LockInfo::name).containsExactly("resource");
		assertThat(lock.isHeld()).isTrue();
		assertThat(lock.unlock()).isTrue();
		assertThat(this.caches.get(1).tryLock("resource", Duration.ofMinutes(1))).isPresent();
	}

	@Test
	void anExpiredLockIsTakenByAnotherNodeAndTheOldHolderCannotReleaseIt() {
		ClusterLock old = this.caches.get(0).tryLock("resource", Duration.ofMillis(300)).orElseThrow();
		ClusterLock next = this.caches.get(1)
			.tryLock("resource", Duration.ofMinutes(1), Duration.ofSeconds(10))
			.orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(old.fencingToken());
		assertThat(old.unlock()).isFalse();
		assertThat(next.isHeld()).isTrue();
		String holder = this.contexts.get(1).getBean(dev.cohort.cluster.ClusterNodes.class).self().id();
		assertThat(this.caches.get(0).checkLock("resource"))
			.hasValueSatisfying((info) -> assertThat(info.nodeId()).isEqualTo(holder));
	}

	@Test
	void aLockRetakenWithTheSameFencingTokenIsNoLongerHeldByTheFormerHandle() {
		ClusterLock first = this.caches.get(0).tryLock("failover", Duration.ofMinutes(1)).orElseThrow();
		// A failover that loses the lock and the INCR that numbered it: the new master
		// knows neither, so the next taking gets the same fencing token.
		StringRedisTemplate redis = new StringRedisTemplate(this.contexts.get(0).getBean(RedisConnectionFactory.class));
		ClusterKeys keys = this.contexts.get(0).getBean(ClusterKeys.class);
		redis.delete(keys.cacheLock("failover"));
		redis.opsForValue().set(keys.cacheFence("failover"), Long.toString(first.fencingToken() - 1));
		ClusterLock second = this.caches.get(1).tryLock("failover", Duration.ofMinutes(1)).orElseThrow();
		assertThat(second.fencingToken()).isEqualTo(first.fencingToken());
		assertThat(first.isHeld()).isFalse();
		assertThat(first.extend(Duration.ofMinutes(1))).isFalse();
		assertThat(first.unlock()).isFalse();
		assertThat(second.isHeld()).isTrue();
	}

	@Test
	void aCacheableResultComputedOnOneNodeIsAHitOnAnother() {
		CachedSquares onA = this.contexts.get(0).getBean(CachedSquares.class);
		CachedSquares onB = this.contexts.get(1).getBean(CachedSquares.class);
		assertThat(onA.square(12)).isEqualTo(new Square(12, 144));
		assertThat(onA.squaresTo(2)).containsExactly(new Square(1, 1), new Square(2, 4));
		assertThat(onB.square(12)).isEqualTo(new Square(12, 144));
		assertThat(onB.squaresTo(2)).containsExactly(new Square(1, 1), new Square(2, 4));
		assertThat(onA.computed()).isEqualTo(2);
		assertThat(onB.computed()).isZero();
	}

	@Test
	void aDumpRestoredIntoAnEmptyNamespaceGivesTheSameValuesListsAndTimesToLive() throws Exception {
		ClusterCache source = this.caches.get(0);
		source.save("plain", new Greeting("kept", 7));
		source.save("expiring", "soon", Duration.ofMinutes(30));
		for (int i = 0; i < 2_500; i++) {
			source.push("long-list", i);
		}
		source.expire("long-list", Duration.ofHours(2));
		source.increment("count", 41);
		ByteArrayOutputStream dump = new ByteArrayOutputStream();
		assertThat(source.dump(dump)).isEqualTo(4);

		try (TestNodes elsewhere = TestNodes.redis(RedisServer.shared())) {
			ClusterCache target = elsewhere.start().getBean(ClusterCache.class);
			assertThat(target.size()).isZero();
			assertThat(target.restore(new ByteArrayInputStream(dump.toByteArray()))).isEqualTo(4);
			assertThat(target.load("plain", Greeting.class)).contains(new Greeting("kept", 7));
			assertThat(target.load("count", Long.class)).contains(41L);
			assertThat(target.length("long-list")).isEqualTo(2_500);
			assertThat(target.pop("long-list", Integer.class)).contains(0);
			for (String key : List.of("expiring", "long-list")) {
				Duration before = source.ttl(key).orElseThrow();
				Duration after = target.ttl(key).orElseThrow();
				assertThat(after).isBetween(before.minusSeconds(1), before.plusSeconds(1));
			}
			assertThat(target.ttl("plain")).isEmpty();
			assertThat(target.exists("plain")).isTrue();
		}
	}

	/**
	 * A counter that remembers the fencing token of the holder that wrote it last.
	 *
	 * @param count the count
	 * @param lastFence the last writer's fencing token
	 */
	record Counter(long count, long lastFence) {
	}

}
