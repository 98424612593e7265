package dev.cohort.cluster.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.MembershipStore.Heartbeat;
import dev.cohort.cluster.MembershipStore.Status;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeRole;
import dev.cohort.cluster.internal.NodeIdentity;
import dev.cohort.testapp.SharedRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The membership Lua scripts against a real Redis.
 */
class RedisMembershipStoreTests {

	@RegisterExtension
	static final SharedRedisConnection sharedRedis = new SharedRedisConnection();

	private RedisMembershipStore store;

	private ClusterKeys keys;

	private StringRedisTemplate redis;

	@BeforeEach
	void setUp() {
		this.keys = new ClusterKeys("store-" + UUID.randomUUID(), "unused");
		this.redis = new StringRedisTemplate(sharedRedis.factory());
		this.store = new RedisMembershipStore(this.redis, this.keys);
	}

	@Test
	void firstHeartbeatJoinsAndLaterOnesRefresh() {
		NodeInfo node = node("a", "instance-1");
		Heartbeat first = this.store.heartbeat(node, Duration.ofSeconds(10));
		assertThat(first.status()).isEqualTo(Status.JOINED);
		assertThat(first.members()).containsExactly(node);
		assertThat(first.serverTimeMillis()).isCloseTo(this.store.time(), org.assertj.core.data.Offset.offset(5000L));
		assertThat(this.store.heartbeat(node, Duration.ofSeconds(10)).status()).isEqualTo(Status.REFRESHED);
		assertThat((String) this.redis.opsForHash().get(this.keys.memberInfo(), "a")).contains("\"role\":\"all\"")
			.contains("\"instance\":\"instance-1\"");
	}

	@Test
	void deadlinesAreEachNodesLastHeartbeatPlusItsTimeout() {
		Heartbeat a = this.store.heartbeat(node("a", "instance-1"), Duration.ofSeconds(10));
		Heartbeat b = this.store.heartbeat(node("b", "instance-2"), Duration.ofSeconds(20));
		assertThat(this.store.deadlines()).containsExactly(java.util.Map.entry("a", a.serverTimeMillis() + 10_000),
				java.util.Map.entry("b", b.serverTimeMillis() + 20_000));
		this.store.leave(node("a", "instance-1"));
		assertThat(this.store.deadlines()).containsOnlyKeys("b");
	}

	@Test
	void anotherInstanceCannotTakeALiveId() {
		this.store.heartbeat(node("a", "instance-1"), Duration.ofSeconds(10));
		Heartbeat intruder = this.store.heartbeat(node("a", "instance-2"), Duration.ofSeconds(10));
		assertThat(intruder.status()).isEqualTo(Status.ID_TAKEN);
		assertThat(intruder.members()).extracting(NodeInfo::instance).containsExactly("instance-1");
		this.store.leave(node("a", "instance-2"));
		assertThat(this.redis.opsForZSet().score(this.keys.members(), "a")).isNotNull();
	}

	@Test
	void nodeWithoutHeartbeatsExpiresOnTheServerClock() {
		this.store.heartbeat(node("short", "i-1"), Duration.ofMillis(300));
		NodeInfo watcher = node("watcher", "i-2");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.store.heartbeat(watcher, Duration.ofSeconds(10)).members().size() == 1);
		assertThat(this.redis.opsForHash().hasKey(this.keys.memberInfo(), "short")).isFalse();
	}

	@Test
	void leaveRemovesTheNodeAtOnce() {
		NodeInfo node = node("a", "instance-1");
		this.store.heartbeat(node, Duration.ofSeconds(10));
		this.store.leave(node);
		assertThat(this.store.heartbeat(node("b", "i"), Duration.ofSeconds(10)).members()).extracting(NodeInfo::id)
			.containsExactly("b");
	}

	@Test
	void registrationThatIsNotCohortsIsSkipped() {
		this.redis.opsForZSet().add(this.keys.members(), "junk", Double.MAX_VALUE);
		this.redis.opsForHash().put(this.keys.memberInfo(), "junk", "{not a registration");
		assertThat(this.store.heartbeat(node("a", "i"), Duration.ofSeconds(10)).members()).extracting(NodeInfo::id)
			.containsExactly("a");
	}

	@Test
	void derivedIdsSkipRegisteredOnesWhenTheCounterWasLost() {
		NodeInfo first = NodeIdentity.create(null, "app", NodeRole.WORKER, this.store);
		this.store.heartbeat(first, Duration.ofSeconds(10));
		this.redis.delete(this.keys.nodeSequence());
		NodeInfo second = NodeIdentity.create(null, "app", NodeRole.WORKER, this.store);
		assertThat(first.id()).isEqualTo("app-worker-1");
		assertThat(second.id()).isEqualTo("app-worker-2");
	}

	@Test
	void derivedIdsReplaceWhatANodeIdMayNotHold() {
		assertThat(NodeIdentity.create(null, "my shop/eu", NodeRole.SERVER, this.store).id())
			.matches("my-shop-eu-server-\\d+");
	}

	@Test
	void nodeNumbersNeverRepeat() {
		long first = this.store.nextNodeNumber();
		assertThat(this.store.nextNodeNumber()).isEqualTo(first + 1);
	}

	private static NodeInfo node(String id, String instance) {
		return new NodeInfo(id, NodeRole.ALL, "host", 1, Instant.ofEpochMilli(1000), "test", instance);
	}

}
