package dev.cohort.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.testapp.CachedSquares.Square;
import dev.cohort.testapp.CachedSquares;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What the cluster cache does on one node, the same on every transport. One node serves
 * every test of a class (starting one per test was most of the suite's time); each test
 * starts from an empty cache without locks.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterCacheContractTests {

	private static final ParameterizedTypeReference<List<Greeting>> GREETINGS = new ParameterizedTypeReference<>() {
	};

	private TestNodes nodes;

	private ConfigurableApplicationContext node;

	private ClusterCache cache;

	protected abstract TestNodes nodes();

	@BeforeAll
	void startNode() {
		this.nodes = nodes();
		this.node = this.nodes.start();
		this.cache = this.node.getBean(ClusterCache.class);
	}

	@BeforeEach
	void emptyTheCache() {
		this.cache.clear();
		this.cache.locks().forEach((lock) -> this.cache.releaseLock(lock.name()));
	}

	@AfterAll
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void savedValuesLoadAsTheirTypeAndAbsentKeysAreEmpty() {
		this.cache.save("greeting", new Greeting("hi", 1));
		this.cache.save("greetings", List.of(new Greeting("a", 1), new Greeting("b", 2)));
		this.cache.save("text", "plain");
		assertThat(this.cache.load("greeting", Greeting.class)).contains(new Greeting("hi", 1));
		assertThat(this.cache.load("greetings", GREETINGS))
			.contains(List.of(new Greeting("a", 1), new Greeting("b", 2)));
		assertThat(this.cache.load("text", String.class)).contains("plain");
		assertThat(this.cache.load("missing", Greeting.class)).isEmpty();
		assertThat(this.cache.exists("greeting")).isTrue();
		assertThat(this.cache.destroy("greeting")).isTrue();
		assertThat(this.cache.destroy("greeting")).isFalse();
		assertThat(this.cache.exists("greeting")).isFalse();
	}

	@Test
	void saveIfAbsentKeepsTheFirstValue() {
		assertThat(this.cache.saveIfAbsent("owner", "first", Duration.ofMinutes(1))).isTrue();
		assertThat(this.cache.saveIfAbsent("owner", "second", null)).isFalse();
		assertThat(this.cache.load("owner", String.class)).contains("first");
	}

	@Test
	void valuesExpireAfterTheirTimeToLive() {
		this.cache.save("short", "gone soon", Duration.ofMillis(300));
		this.cache.save("forever", "stays");
		assertThat(this.cache.ttl("short"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300)));
		assertThat(this.cache.ttl("forever")).isEmpty();
		assertThat(this.cache.ttl("missing")).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.cache.exists("short"));
		assertThat(this.cache.load("short", String.class)).isEmpty();
		assertThat(this.cache.exists("forever")).isTrue();
	}

	@Test
	void expireAndPersistChangeTheTimeToLive() {
		this.cache.save("key", "value");
		assertThat(this.cache.expire("key", Duration.ofMinutes(5))).isTrue();
		assertThat(this.cache.ttl("key"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isGreaterThan(Duration.ofMinutes(4)));
		assertThat(this.cache.persist("key")).isTrue();
		assertThat(this.cache.ttl("key")).isEmpty();
		assertThat(this.cache.exists("key")).isTrue();
		assertThat(this.cache.persist("key")).isTrue();
		assertThat(this.cache.expire("missing", Duration.ofMinutes(5))).isFalse();
		assertThat(this.cache.persist("missing")).isFalse();
	}

	@Test
	void loadCanRefreshTheTimeToLive() {
		this.cache.save("session", "s", Duration.ofSeconds(2));
		LoadOptions refresh = LoadOptions.defaults().refreshTtl(Duration.ofHours(1));
		assertThat(this.cache.load("session", String.class, refresh)).contains("s");
		assertThat(this.cache.ttl("session"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isGreaterThan(Duration.ofMinutes(59)));
		assertThat(this.cache.load("missing", String.class, refresh)).isEmpty();
		assertThat(this.cache.exists("missing")).isFalse();
	}

	@Test
	void loadWaitsWhileTheKeyIsLockedAndGivesUpAfterItsWait() throws Exception {
		this.cache.save("report", new Greeting("v1", 1));
		ClusterLock lock = this.cache.tryLock("report", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.cache.load("report", Greeting.class)).contains(new Greeting("v1", 1));
		assertThatExceptionOfType(CacheLockedException.class)
			.isThrownBy(() -> this.cache.load("report", Greeting.class,
					LoadOptions.defaults().waitWhileLocked(Duration.ofMillis(100))))
			.withMessageContaining("'report'");
		CompletableFuture<Optional<Greeting>> waiting = CompletableFuture.supplyAsync(() -> this.cache.load("report",
				Greeting.class, LoadOptions.defaults().waitWhileLocked(Duration.ofSeconds(30))));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
		this.cache.save("report", new Greeting("v2", 2));
		lock.unlock();
		assertThat(waiting.get(10, TimeUnit.SECONDS)).contains(new Greeting("v2", 2));
	}

	@Test
	void dataThatDoesNotMapRaisesAnErrorNamingTheKeyAndLeavesItAlone() {
		this.cache.save("word", "not a greeting");
		this.cache.push("queue", "element");
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.cache.load("word", Greeting.class))
			.withMessageContaining("'word'")
			.withMessageContaining("dev.cohort.testapp.Greeting")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("word"));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.cache.load("queue", String.class))
			.withMessageContaining("'queue'");
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.cache.push("word", "x"))
			.withMessageContaining("'word'");
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.cache.increment("word"))
			.withMessageContaining("'word'");
		assertThat(this.cache.load("word", String.class)).contains("not a greeting");
		assertThat(this.cache.length("queue")).isEqualTo(1);
	}

	@Test
	void aPoppedElementThatDoesNotMapIsPutBackAtTheHeadOfTheList() {
		this.cache.push("inbox", "not a greeting");
		this.cache.push("inbox", new Greeting("next", 2));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.cache.pop("inbox", Greeting.class))
			.withMessageContaining("'inbox'")
			.withMessageContaining("dev.cohort.testapp.Greeting")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("inbox"));
		assertThatExceptionOfType(CacheValueException.class)
			.isThrownBy(() -> this.cache.pop("inbox", Greeting.class, Duration.ofSeconds(10)))
			.withMessageContaining("'inbox'");
		assertThat(this.cache.length("inbox")).isEqualTo(2);
		assertThat(this.cache.pop("inbox", String.class)).contains("not a greeting");
		assertThat(this.cache.pop("inbox", Greeting.class, Duration.ofSeconds(10))).contains(new Greeting("next", 2));
		this.cache.push("single", 7);
		assertThatExceptionOfType(CacheValueException.class)
			.isThrownBy(() -> this.cache.pop("single", Greeting.class, Duration.ofSeconds(10)));
		assertThat(this.cache.pop("single", Integer.class)).contains(7);
	}

	@Test
	void keysSizeAndClearCoverValuesAndListsButNotLocks() {
		this.cache.save("user:1", "ann");
		this.cache.save("user:2", "bob");
		this.cache.save("order:1", "book", Duration.ofMinutes(1));
		this.cache.push("jobs", "a");
		ClusterLock lock = this.cache.tryLock("user:1", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.cache.keys()).containsExactlyInAnyOrder("user:1", "user:2", "order:1", "jobs");
		assertThat(this.cache.keys("user:*")).containsExactlyInAnyOrder("user:1", "user:2");
		assertThat(this.cache.keys("user:[2-9]")).containsExactly("user:2");
		assertThat(this.cache.keys("?obs")).containsExactly("jobs");
		assertThat(this.cache.size()).isEqualTo(4);
		assertThat(this.cache.clear()).isEqualTo(4);
		assertThat(this.cache.size()).isZero();
		assertThat(this.cache.keys()).isEmpty();
		assertThat(lock.isHeld()).isTrue();
	}

	@Test
	void keysThatCannotBeAHashTagAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.save("}key", 1))
			.withMessageContaining("'}key'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.tryLock("", Duration.ofSeconds(1)));
	}

	@Test
	void patternsThatDoNotEndWhereTheyAreWrittenAreRefused() {
		this.cache.save("a\\", 1);
		this.cache.save("[b", 2);
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.keys("a\\"))
			.withMessageContaining("unescaped '\\'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.keys("[b"))
			.withMessageContaining("'[' unclosed");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cache.keys("[^b"));
		assertThat(this.cache.keys("a\\\\")).containsExactly("a\\");
		assertThat(this.cache.keys("\\[b")).containsExactly("[b");
		assertThat(this.cache.keys("[[]b")).containsExactly("[b");
	}

	@Test
	void incrementCountsFromZero() {
		assertThat(this.cache.increment("hits")).isEqualTo(1);
		assertThat(this.cache.increment("hits", 5)).isEqualTo(6);
		assertThat(this.cache.increment("hits", -2)).isEqualTo(4);
		assertThat(this.cache.load("hits", Long.class)).contains(4L);
	}

	@Test
	void concurrentUpdatesLoseNoWrite() throws Exception {
		this.cache.save("tally", new Greeting("tally", 0), Duration.ofMinutes(10));
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				done.add(threads.submit(() -> {
					for (int i = 0; i < 50; i++) {
						this.cache.update("tally", Greeting.class,
								(current) -> new Greeting("tally", current.number() + 1));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.cache.load("tally", Greeting.class)).contains(new Greeting("tally", 400));
		assertThat(this.cache.ttl("tally"))
			.hasValueSatisfying((ttl) -> assertThat(ttl).isGreaterThan(Duration.ofMinutes(9)));
	}

	@Test
	void updateCreatesFromAbsentAndDeletesOnNull() {
		assertThat(this.cache.update("list", GREETINGS, (current) -> List.of(new Greeting("first", 1))))
			.containsExactly(new Greeting("first", 1));
		assertThat(this.cache.update("list", GREETINGS, (current) -> {
			List<Greeting> next = new ArrayList<>(current);
			next.add(new Greeting("second", 2));
			return next;
		})).hasSize(2);
		assertThat(this.cache.load("list", GREETINGS)).hasValueSatisfying((list) -> assertThat(list).hasSize(2));
		assertThat(this.cache.update("list", GREETINGS, (current) -> null)).isNull();
		assertThat(this.cache.exists("list")).isFalse();
	}

	@Test
	void listsPushAndPopInOrder() {
		assertThat(this.cache.push("jobs", new Greeting("a", 1))).isEqualTo(1);
		assertThat(this.cache.push("jobs", new Greeting("b", 2))).isEqualTo(2);
		assertThat(this.cache.length("jobs")).isEqualTo(2);
		assertThat(this.cache.pop("jobs", Greeting.class)).contains(new Greeting("a", 1));
		assertThat(this.cache.pop("jobs", Greeting.class)).contains(new Greeting("b", 2));
		assertThat(this.cache.pop("jobs", Greeting.class)).isEmpty();
		assertThat(this.cache.length("jobs")).isZero();
		assertThat(this.cache.exists("jobs")).isFalse();
	}

	@Test
	void blockingPopWaitsForAnElementOrItsTimeout() throws Exception {
		assertThat(this.cache.pop("inbox", String.class, Duration.ofMillis(200))).isEmpty();
		CompletableFuture<Optional<String>> waiting = CompletableFuture
			.supplyAsync(() -> this.cache.pop("inbox", String.class, Duration.ofSeconds(30)));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
		this.cache.push("inbox", "mail");
		assertThat(waiting.get(10, TimeUnit.SECONDS)).contains("mail");
	}

	@Test
	void aLockIsHeldByItsHandleAlone() throws Exception {
		ClusterLock lock = this.cache.tryLock("resource", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.cache.tryLock("resource", Duration.ofMinutes(1))).isEmpty();
		CompletableFuture<Optional<ClusterLock>> otherThread = CompletableFuture
			.supplyAsync(() -> this.cache.tryLock("resource", Duration.ofMinutes(1)));
		assertThat(otherThread.get(10, TimeUnit.SECONDS)).isEmpty();
		assertThat(this.node.getBean(CacheStore.class).unlock("resource", "forged-token")).isFalse();
		assertThat(lock.isHeld()).isTrue();
		String self = this.node.getBean(ClusterNodes.class).self().id();
		assertThat(this.cache.checkLock("resource")).hasValueSatisfying((info) -> {
			assertThat(info.name()).isEqualTo("resource");
			assertThat(info.nodeId()).isEqualTo(self);
			assertThat(info.fencingToken()).isEqualTo(lock.fencingToken());
			assertThat(info.ttl()).isGreaterThan(Duration.ofSeconds(50));
		});
		assertThat(this.cache.locks()).extracting(LockInfo::name).containsExactly("resource");
		assertThatIllegalArgumentException().isThrownBy(() -> lock.extend(Duration.ofNanos(999_999)));
		assertThat(lock.unlock()).isTrue();
		assertThat(lock.unlock()).isFalse();
		assertThat(this.cache.checkLock("resource")).isEmpty();
		assertThat(this.cache.locks()).isEmpty();
	}

	@Test
	void anExpiredLockCanBeTakenAndItsOldHolderCanNoLongerReleaseOrExtendIt() {
		ClusterLock old = this.cache.tryLock("resource", Duration.ofMillis(200)).orElseThrow();
		ClusterLock next = await().atMost(Duration.ofSeconds(5))
			.until(() -> this.cache.tryLock("resource", Duration.ofMinutes(1)).orElse(null), (lock) -> lock != null);
		assertThat(next.fencingToken()).isGreaterThan(old.fencingToken());
		assertThat(old.isHeld()).isFalse();
		assertThat(old.extend(Duration.ofMinutes(1))).isFalse();
		assertThat(old.unlock()).isFalse();
		assertThat(next.isHeld()).isTrue();
		assertThat(next.extend(Duration.ofMinutes(2))).isTrue();
		next.close();
		assertThat(next.isHeld()).isFalse();
	}

	@Test
	void releaseLockFreesALockWhoeverHoldsItAndTheNextHolderNumbersHigher() {
		ClusterLock held = this.cache.tryLock("stuck", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.cache.releaseLock("stuck")).isTrue();
		assertThat(held.isHeld()).isFalse();
		assertThat(this.cache.checkLock("stuck")).isEmpty();
		assertThat(this.cache.locks()).isEmpty();
		assertThat(this.cache.releaseLock("stuck")).isFalse();
		ClusterLock next = this.cache.tryLock("stuck", Duration.ofMinutes(1)).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
		assertThat(held.unlock()).isFalse();
		assertThat(next.isHeld()).isTrue();
		next.close();
	}

	@Test
	void fencingTokensOnlyGrow() {
		long last = 0;
		for (int i = 0; i < 20; i++) {
			try (ClusterLock lock = this.cache.tryLock("fenced", Duration.ofMinutes(1)).orElseThrow()) {
				assertThat(lock.fencingToken()).isGreaterThan(last);
				last = lock.fencingToken();
			}
		}
		this.cache.clear();
		assertThat(this.cache.tryLock("fenced", Duration.ofMinutes(1)).orElseThrow().fencingToken())
			.isGreaterThan(last);
	}

	@Test
	void tryLockWaitsForTheHolderToRelease() throws Exception {
		ClusterLock held = this.cache.tryLock("resource", Duration.ofMinutes(1)).orElseThrow();
		assertThat(this.cache.tryLock("resource", Duration.ofMinutes(1), Duration.ofMillis(100))).isEmpty();
		CompletableFuture<Optional<ClusterLock>> waiting = CompletableFuture
			.supplyAsync(() -> this.cache.tryLock("resource", Duration.ofMinutes(1), Duration.ofSeconds(30)));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
		held.unlock();
		assertThat(waiting.get(10, TimeUnit.SECONDS)).hasValueSatisfying((lock) -> assertThat(lock.isHeld()).isTrue());
	}

	@Test
	void automaticRenewalKeepsALockPastItsTimeToLive() {
		// Renewed every third of its time to live: a second leaves room for a busy
		// machine's scheduling, and two of them show it outlives it.
		ClusterLock lock = this.cache.tryLock("renewed", Duration.ofSeconds(1)).orElseThrow().renewAutomatically();
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(lock::isHeld);
		assertThat(this.cache.tryLock("renewed", Duration.ofMinutes(1))).isEmpty();
		assertThat(lock.unlock()).isTrue();
		assertThat(lock.isLost()).isFalse();
		assertThat(this.cache.checkLock("renewed")).isEmpty();
	}

	@Test
	void dumpThenRestoreGivesBackValuesListsAndTimesToLive() throws IOException {
		this.cache.save("greeting", new Greeting("hi", 1));
		this.cache.save("expiring", "soon", Duration.ofMinutes(10));
		this.cache.push("list", "a");
		this.cache.push("list", "b");
		this.cache.expire("list", Duration.ofMinutes(20));
		this.cache.save("odd key {with} braces", 42);
		this.cache.tryLock("greeting", Duration.ofMinutes(1)).orElseThrow();
		ByteArrayOutputStream dump = new ByteArrayOutputStream();
		assertThat(this.cache.dump(dump)).isEqualTo(4);
		this.cache.clear();
		assertThat(this.cache.size()).isZero();
		assertThat(this.cache.restore(new ByteArrayInputStream(dump.toByteArray()))).isEqualTo(4);
		assertThat(this.cache.load("greeting", Greeting.class)).contains(new Greeting("hi", 1));
		assertThat(this.cache.load("odd key {with} braces", Integer.class)).contains(42);
		assertThat(this.cache.pop("list", String.class)).contains("a");
		assertThat(this.cache.pop("list", String.class)).contains("b");
		assertThat(this.cache.ttl("greeting")).isEmpty();
		assertThat(this.cache.ttl("expiring")).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isBetween(Duration.ofMinutes(10).minusSeconds(1), Duration.ofMinutes(10)));
	}

	@Test
	void restoreRefusesWhatIsNotADump() {
		byte[] notADump = "{\"hello\":1}\n".getBytes(StandardCharsets.UTF_8);
		assertThatIOException().isThrownBy(() -> this.cache.restore(new ByteArrayInputStream(notADump)))
			.withMessageContaining("cohort-cache-dump");
		byte[] badLine = "{\"format\":\"cohort-cache-dump\",\"version\":1}\n{\"key\":\"k\",\"type\":\"set\"}\n"
			.getBytes(StandardCharsets.UTF_8);
		assertThatIOException().isThrownBy(() -> this.cache.restore(new ByteArrayInputStream(badLine)))
			.withMessageContaining("Line 2");
		byte[] badKey = "{\"format\":\"cohort-cache-dump\",\"version\":1}\n{\"key\":\"}k\",\"type\":\"value\",\"elements\":[\"1\"]}\n"
			.getBytes(StandardCharsets.UTF_8);
		assertThatIOException().isThrownBy(() -> this.cache.restore(new ByteArrayInputStream(badKey)))
			.withMessageContaining("Line 2")
			.withMessageContaining("unusable key");
	}

	@Test
	void cacheableResultsAreCachedWithTheirTypes() {
		CachedSquares squares = this.node.getBean(CachedSquares.class);
		assertThat(squares.square(3)).isEqualTo(new Square(3, 9));
		assertThat(squares.square(3)).isEqualTo(new Square(3, 9));
		assertThat(squares.squaresTo(3)).containsExactly(new Square(1, 1), new Square(2, 4), new Square(3, 9));
		assertThat(squares.squaresTo(3)).containsExactly(new Square(1, 1), new Square(2, 4), new Square(3, 9));
		assertThat(squares.nothing(1)).isNull();
		assertThat(squares.nothing(1)).isNull();
		assertThat(squares.computed()).isEqualTo(3);
		assertThat(this.cache.keys("squares::*")).containsExactly("squares::3");
		this.node.getBean(CacheManager.class).getCache("squares").clear();
		assertThat(this.cache.keys("squares::*")).isEmpty();
		assertThat(this.cache.keys("square-lists::*")).hasSize(1);
	}

}
