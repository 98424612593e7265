package dev.cohort.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link CacheStore} does, the same in Redis and in memory: each operation and
 * each branch of the scripts behind it, called through the SPI directly.
 */
abstract class AbstractCacheStoreContractTests {

	static final Duration LONG = Duration.ofMinutes(10);

	protected CacheStore store;

	protected abstract CacheStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void valuesAreSetReadAndDeletedWithTheirTimeToLive() {
		assertThat(this.store.get("a")).isNull();
		assertThat(this.store.ttlMillis("a")).isEqualTo(CacheStore.MISSING);
		this.store.set("a", "1", null);
		assertThat(this.store.get("a")).isEqualTo("1");
		assertThat(this.store.ttlMillis("a")).isEqualTo(CacheStore.PERSISTENT);
		this.store.set("a", "2", LONG);
		assertThat(this.store.get("a")).isEqualTo("2");
		assertThat(this.store.ttlMillis("a")).isBetween(LONG.toMillis() - 5_000, LONG.toMillis());
		assertThat(this.store.setIfAbsent("a", "3", null)).isFalse();
		assertThat(this.store.get("a")).isEqualTo("2");
		assertThat(this.store.setIfAbsent("b", "3", LONG)).isTrue();
		assertThat(this.store.ttlMillis("b")).isPositive();
		assertThat(this.store.exists("b")).isTrue();
		assertThat(this.store.expire("b", null)).isTrue();
		assertThat(this.store.ttlMillis("b")).isEqualTo(CacheStore.PERSISTENT);
		assertThat(this.store.expire("b", null)).as("exists, persistent already").isTrue();
		assertThat(this.store.expire("b", LONG)).isTrue();
		assertThat(this.store.ttlMillis("b")).isPositive();
		assertThat(this.store.expire("absent", LONG)).isFalse();
		assertThat(this.store.expire("absent", null)).isFalse();
		assertThat(this.store.delete("b")).isTrue();
		assertThat(this.store.delete("b")).isFalse();
		assertThat(this.store.exists("b")).isFalse();
		assertThat(this.store.deleteAll(List.of("a", "b", "c"))).isEqualTo(1);
		assertThat(this.store.deleteAll(List.of())).isZero();
	}

	@Test
	void aValueExpires() {
		this.store.set("short", "1", Duration.ofMillis(200));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.store.exists("short"));
		assertThat(this.store.get("short")).isNull();
		assertThat(this.store.ttlMillis("short")).isEqualTo(CacheStore.MISSING);
		assertThat(this.store.setIfAbsent("short", "2", null)).isTrue();
	}

	@Test
	void aCounterStartsAtZeroAndKeepsItsTimeToLive() {
		assertThat(this.store.increment("n", 5)).isEqualTo(5);
		assertThat(this.store.increment("n", -7)).isEqualTo(-2);
		assertThat(this.store.ttlMillis("n")).isEqualTo(CacheStore.PERSISTENT);
		this.store.expire("n", LONG);
		assertThat(this.store.increment("n", 1)).isEqualTo(-1);
		assertThat(this.store.ttlMillis("n")).isPositive();
		for (String notANumber : List.of("\"x\"", "05", "+5", "-0", " 5", "5 ", "1.5", "")) {
			this.store.set("text", notANumber, null);
			assertThatExceptionOfType(CacheValueException.class).as(notANumber)
				.isThrownBy(() -> this.store.increment("text", 1));
		}
		this.store.set("zero", "0", null);
		assertThat(this.store.increment("zero", 1)).isEqualTo(1);
		this.store.push("list", "1");
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.increment("list", 1));
	}

	@Test
	void aReadRefreshesTheTimeToLiveOnlyWhenAsked() {
		assertThat(this.store.read("a", LONG, false)).isEqualTo(new CacheStore.Read(null, false));
		assertThat(this.store.exists("a")).as("an absent key is not created").isFalse();
		this.store.set("a", "1", Duration.ofSeconds(30));
		assertThat(this.store.read("a", null, false)).isEqualTo(new CacheStore.Read("1", false));
		assertThat(this.store.ttlMillis("a")).isBetween(1L, 30_000L);
		assertThat(this.store.read("a", LONG, false)).isEqualTo(new CacheStore.Read("1", false));
		assertThat(this.store.ttlMillis("a")).isGreaterThan(30_000L);
		this.store.set("p", "2", null);
		assertThat(this.store.read("p", LONG, false).value()).isEqualTo("2");
		assertThat(this.store.ttlMillis("p")).as("a persistent value gets the time to live").isPositive();
		this.store.push("list", "1");
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.read("list", null, false));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.get("list"));
	}

	@Test
	void aReadUnlessLockedRefusesWhileTheKeysLockIsHeld() {
		this.store.set("a", "1", Duration.ofSeconds(30));
		String token = token();
		assertThat(this.store.tryLock("a", token, "node-a", LONG)).isNotNull();
		assertThat(this.store.read("a", LONG, true)).isEqualTo(CacheStore.Read.LOCKED);
		assertThat(this.store.ttlMillis("a")).as("a refused read refreshes nothing").isBetween(1L, 30_000L);
		this.store.tryLock("absent", token(), "node-a", LONG);
		assertThat(this.store.read("absent", null, true)).as("locked, whether or not a value is there")
			.isEqualTo(CacheStore.Read.LOCKED);
		assertThat(this.store.read("a", null, false)).as("the lock ignored").isEqualTo(new CacheStore.Read("1", false));
		assertThat(this.store.read("b", null, true)).as("another key's lock is free")
			.isEqualTo(new CacheStore.Read(null, false));
		assertThat(this.store.unlock("a", token)).isTrue();
		assertThat(this.store.read("a", null, true)).isEqualTo(new CacheStore.Read("1", false));
	}

	@Test
	void compareAndSetReplacesOnlyTheValueReadKeepingItsTimeToLive() {
		assertThat(this.store.compareAndSet("a", "1", "2")).as("absent, not the value read").isFalse();
		assertThat(this.store.exists("a")).isFalse();
		assertThat(this.store.compareAndSet("a", null, null)).as("absent as read: nothing to delete").isTrue();
		assertThat(this.store.exists("a")).isFalse();
		assertThat(this.store.compareAndSet("a", null, "1")).as("absent as read").isTrue();
		assertThat(this.store.get("a")).isEqualTo("1");
		assertThat(this.store.ttlMillis("a")).isEqualTo(CacheStore.PERSISTENT);
		assertThat(this.store.compareAndSet("a", null, "9")).as("present, read as absent").isFalse();
		assertThat(this.store.compareAndSet("a", "0", "9")).as("changed since read").isFalse();
		assertThat(this.store.get("a")).isEqualTo("1");
		this.store.expire("a", LONG);
		assertThat(this.store.compareAndSet("a", "1", "2")).isTrue();
		assertThat(this.store.get("a")).isEqualTo("2");
		assertThat(this.store.ttlMillis("a")).as("the time to live is kept").isPositive();
		assertThat(this.store.compareAndSet("a", "2", null)).as("deleted").isTrue();
		assertThat(this.store.exists("a")).isFalse();
		this.store.push("list", "1");
		assertThatExceptionOfType(CacheValueException.class)
			.isThrownBy(() -> this.store.compareAndSet("list", "1", "2"));
	}

	@Test
	void listsArePushedAndPoppedInOrder() {
		assertThat(this.store.length("l")).isZero();
		assertThat(this.store.pop("l", null)).isNull();
		assertThat(this.store.push("l", "1")).isEqualTo(1);
		assertThat(this.store.push("l", "2")).isEqualTo(2);
		this.store.pushFirst("l", "0");
		assertThat(this.store.length("l")).isEqualTo(3);
		assertThat(this.store.pop("l", null)).isEqualTo("0");
		assertThat(this.store.pop("l", Duration.ofSeconds(1))).isEqualTo("1");
		assertThat(this.store.pop("l", null)).isEqualTo("2");
		assertThat(this.store.exists("l")).as("an emptied list is gone").isFalse();
		assertThat(this.store.pop("l", Duration.ofMillis(100))).isNull();
		this.store.pushFirst("m", "x");
		assertThat(this.store.length("m")).isEqualTo(1);
		this.store.set("v", "1", null);
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.push("v", "1"));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.pushFirst("v", "1"));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.pop("v", null));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> this.store.length("v"));
	}

	@Test
	void aLockIsTakenExtendedAndReleasedOnlyByItsHolderWithFencingTokensRising() {
		String holder = token();
		String other = token();
		assertThat(this.store.lock("job")).isNull();
		Long first = this.store.tryLock("job", holder, "node-a", Duration.ofSeconds(30));
		assertThat(first).isNotNull();
		assertThat(this.store.tryLock("job", other, "node-b", LONG)).as("held").isNull();
		assertThat(this.store.holds("job", holder)).isTrue();
		assertThat(this.store.holds("job", other)).isFalse();
		assertThat(this.store.holds("free", holder)).isFalse();
		LockInfo info = this.store.lock("job");
		assertThat(info).isNotNull();
		assertThat(info.name()).isEqualTo("job");
		assertThat(info.nodeId()).isEqualTo("node-a");
		assertThat(info.fencingToken()).isEqualTo(first);
		assertThat(info.ttl()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(30));
		assertThat(this.store.extend("job", other, LONG)).as("by a non-holder").isFalse();
		assertThat(this.store.lock("job").ttl()).isLessThanOrEqualTo(Duration.ofSeconds(30));
		assertThat(this.store.extend("job", holder, LONG)).isTrue();
		assertThat(this.store.lock("job").ttl()).isGreaterThan(Duration.ofSeconds(30));
		assertThat(this.store.extend("free", holder, LONG)).as("nobody holds it").isFalse();
		assertThat(this.store.unlock("job", other)).as("by a non-holder").isFalse();
		assertThat(this.store.holds("job", holder)).isTrue();
		assertThat(this.store.unlock("job", holder)).isTrue();
		assertThat(this.store.unlock("job", holder)).as("released already").isFalse();
		assertThat(this.store.lock("job")).isNull();
		Long second = this.store.tryLock("job", other, "node-b", LONG);
		assertThat(second).isGreaterThan(first);
		assertThat(this.store.lock("job").nodeId()).isEqualTo("node-b");
		assertThat(this.store.forceUnlock("job")).isTrue();
		assertThat(this.store.forceUnlock("job")).as("free already").isFalse();
		assertThat(this.store.holds("job", other)).isFalse();
		Long third = this.store.tryLock("job", holder, "node-a", LONG);
		assertThat(third).as("the fencing counter outlives a forced release").isGreaterThan(second);
		assertThat(this.store.tryLock("other", holder, "node-a", LONG)).as("each name counts on its own")
			.isEqualTo(first);
	}

	@Test
	void aLockThatLapsedIsFreeAndItsNextTakingNumbersHigher() {
		String holder = token();
		Long first = this.store.tryLock("job", holder, "node-a", Duration.ofMillis(200));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.store.lock("job") == null);
		assertThat(this.store.holds("job", holder)).isFalse();
		assertThat(this.store.extend("job", holder, LONG)).isFalse();
		assertThat(this.store.unlock("job", holder)).isFalse();
		assertThat(this.store.tryLock("job", token(), "node-b", LONG)).isGreaterThan(first);
	}

	@Test
	void heldLocksAreListedByName() {
		this.store.tryLock("a", token(), "node-a", LONG);
		this.store.tryLock("b:1", token(), "node-a", LONG);
		this.store.set("c", "1", null);
		String released = token();
		this.store.tryLock("d", released, "node-a", LONG);
		this.store.unlock("d", released);
		assertThat(scanLocks()).containsExactlyInAnyOrder("a", "b:1");
	}

	@Test
	void exportReadsAValueOrAListWholeWithItsTimeToLiveAndReplaceWritesIt() {
		assertThat(this.store.export("absent")).isNull();
		this.store.set("v", "1", null);
		assertThat(this.store.export("v")).isEqualTo(new StoredEntry("v", false, List.of("1"), CacheStore.PERSISTENT));
		this.store.push("l", "a");
		this.store.push("l", "b");
		this.store.expire("l", LONG);
		StoredEntry list = this.store.export("l");
		assertThat(list.list()).isTrue();
		assertThat(list.elements()).containsExactly("a", "b");
		assertThat(list.ttlMillis()).isBetween(LONG.toMillis() - 5_000, LONG.toMillis());
		// Replace a value by a list with a time to live, and a list by a value for ever.
		this.store.replace(new StoredEntry("v", true, List.of("x", "y", "z"), 60_000));
		assertThat(this.store.length("v")).isEqualTo(3);
		assertThat(this.store.pop("v", null)).isEqualTo("x");
		assertThat(this.store.ttlMillis("v")).isBetween(1L, 60_000L);
		this.store.replace(new StoredEntry("l", false, List.of("9"), CacheStore.PERSISTENT));
		assertThat(this.store.get("l")).isEqualTo("9");
		assertThat(this.store.ttlMillis("l")).isEqualTo(CacheStore.PERSISTENT);
		this.store.replace(new StoredEntry("new", false, List.of("n"), 60_000));
		assertThat(this.store.export("new").ttlMillis()).isBetween(1L, 60_000L);
	}

	@Test
	void aLongListIsReplacedWhole() {
		List<String> elements = new ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			elements.add(Integer.toString(i));
		}
		this.store.replace(new StoredEntry("long", true, elements, CacheStore.PERSISTENT));
		assertThat(this.store.export("long").elements()).isEqualTo(elements);
	}

	@Test
	void scanMatchesKeysWithRedisGlobPatterns() {
		List<String> keys = List.of("user:1", "user:2", "users", "hello", "hallo", "hillo", "hllo", "a*b", "axb",
				"a\\b", "n3", "n7", "[x]", "q?", "qq", "line\nbreak", "-", "b", "\u00e9");
		keys.forEach((key) -> this.store.set(key, "1", null));
		this.store.push("list:1", "1");
		this.store.tryLock("user:locked", token(), "node-a", LONG);
		assertThat(scan("*")).containsExactlyInAnyOrderElementsOf(concat(keys, List.of("list:1")));
		assertThat(scan("user:*")).containsExactlyInAnyOrder("user:1", "user:2");
		assertThat(scan("user?*")).containsExactlyInAnyOrder("user:1", "user:2", "users");
		assertThat(scan("h?llo")).containsExactlyInAnyOrder("hello", "hallo", "hillo");
		assertThat(scan("h*llo")).containsExactlyInAnyOrder("hello", "hallo", "hillo", "hllo");
		assertThat(scan("h[ae]llo")).containsExactlyInAnyOrder("hello", "hallo");
		assertThat(scan("h[^e]llo")).containsExactlyInAnyOrder("hallo", "hillo");
		assertThat(scan("n[0-4]")).containsExactly("n3");
		assertThat(scan("n[4-0]")).as("a range backwards is the same range").containsExactly("n3");
		assertThat(scan("n[^0-4]")).containsExactly("n7");
		assertThat(scan("a\\*b")).containsExactly("a*b");
		assertThat(scan("a*b")).containsExactlyInAnyOrder("a*b", "axb", "a\\b");
		assertThat(scan("a\\\\b")).containsExactly("a\\b");
		assertThat(scan("\\[x\\]")).containsExactly("[x]");
		assertThat(scan("[[]x]")).containsExactly("[x]");
		assertThat(scan("q\\?")).containsExactly("q?");
		assertThat(scan("q?")).containsExactlyInAnyOrder("q?", "qq");
		assertThat(scan("[\\-]")).containsExactly("-");
		assertThat(scan("[a\\]]*")).as("an escaped bracket in a class").containsExactlyInAnyOrder("a*b", "axb", "a\\b");
		assertThat(scan("line?break")).containsExactly("line\nbreak");
		assertThat(scan("nothing*")).isEmpty();
		// Redis matches bytes: a character of two bytes in UTF-8 takes two question
		// marks.
		assertThat(scan("?")).containsExactlyInAnyOrder("-", "b");
		assertThat(scan("??")).containsExactlyInAnyOrder("q?", "qq", "n3", "n7", "\u00e9");
		assertThat(scan("[]*")).as("an empty class matches nothing").isEmpty();
		assertThat(scan("[^]")).as("its negation matches any byte").containsExactlyInAnyOrder("-", "b");
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	List<String> scan(String pattern) {
		List<String> found = new ArrayList<>();
		this.store.scan(pattern, found::addAll);
		return found;
	}

	List<String> scanLocks() {
		List<String> found = new ArrayList<>();
		this.store.scanLocks(found::addAll);
		return found;
	}

	static String token() {
		return UUID.randomUUID().toString();
	}

}
