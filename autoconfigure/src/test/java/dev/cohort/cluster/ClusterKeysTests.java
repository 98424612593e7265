package dev.cohort.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every Redis key and channel name, as docs/redis-data-model.md lists them: existing data
 * stays readable only while these names stay, and the keys a script uses together must
 * share one Redis Cluster slot.
 */
class ClusterKeysTests {

	private static final List<String> QUEUE_KEY_NAMES = List.of("pending", "jobs", "delayed", "active", "leases",
			"failed", "failures", "fence", "unique", "stats", "attempts", "recurring", "history");

	private final ClusterKeys keys = new ClusterKeys("ns", ClusterKeys.defaultChannel("ns"));

	@Test
	void namespaceAndChannelsAreNamedAfterTheNamespace() {
		assertThat(this.keys.namespace()).isEqualTo("ns");
		assertThat(this.keys.channel()).isEqualTo("ns:cluster");
		assertThat(this.keys.nodeChannel("node-1")).isEqualTo("ns:cluster:node:node-1");
		assertThat(this.keys.nodeChannelPattern()).isEqualTo("ns:cluster:node:*");
	}

	@Test
	void aConfiguredChannelNamesTheNodesChannelsToo() {
		ClusterKeys custom = new ClusterKeys("ns", "custom");
		assertThat(custom.channel()).isEqualTo("custom");
		assertThat(custom.nodeChannel("node-1")).isEqualTo("custom:node:node-1");
		assertThat(custom.members()).isEqualTo("{ns:nodes}:members");
	}

	@Test
	void anEmptyNamespaceOrChannelIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClusterKeys("", "channel"))
			.withMessageContaining("'namespace'");
		assertThatIllegalArgumentException().isThrownBy(() -> new ClusterKeys("ns", " "))
			.withMessageContaining("'channel'");
	}

	@Test
	void membershipKeysShareOneSlot() {
		assertThat(this.keys.members()).isEqualTo("{ns:nodes}:members");
		assertThat(this.keys.memberInfo()).isEqualTo("{ns:nodes}:info");
		assertThat(this.keys.nodeSequence()).isEqualTo("ns:node-sequence");
		assertOneSlot(this.keys.members(), this.keys.memberInfo());
	}

	@Test
	void aCacheKeysValueLockAndFenceShareOneSlot() {
		assertThat(this.keys.cacheEntryPrefix()).isEqualTo("ns:cache:{");
		assertThat(this.keys.cacheEntry("user:1")).isEqualTo("ns:cache:{user:1}");
		assertThat(this.keys.cacheLock("user:1")).isEqualTo("ns:cache:{user:1}:lock");
		assertThat(this.keys.cacheFence("user:1")).isEqualTo("ns:cache:{user:1}:fence");
		assertOneSlot(this.keys.cacheEntry("user:1"), this.keys.cacheLock("user:1"), this.keys.cacheFence("user:1"));
	}

	@Test
	void cacheKeysFoundByAScanAreReadBackToTheUsersKeys() {
		for (String key : List.of("plain", "user:1", "a}:lock", "{braces}", "")) {
			assertThat(this.keys.cacheKeyOfEntry(this.keys.cacheEntry(key))).isEqualTo(key);
			assertThat(this.keys.cacheLockName(this.keys.cacheLock(key))).isEqualTo(key);
		}
	}

	@Test
	void everyKeyOfOneQueueAndItsJobLocksShareOneSlot() {
		assertThat(this.keys.taskQueue("mail")).isEqualTo("{ns:tasks:mail}");
		List<String> queueKeys = new ArrayList<>();
		for (String name : QUEUE_KEY_NAMES) {
			String key = this.keys.taskQueueKey("mail", name);
			assertThat(key).isEqualTo("{ns:tasks:mail}:" + name);
			queueKeys.add(key);
		}
		assertThat(this.keys.taskJobLockPrefix("mail")).isEqualTo("{ns:tasks:mail}:lock:");
		assertThat(this.keys.taskJobLock("mail", "account-7")).isEqualTo("{ns:tasks:mail}:lock:account-7");
		queueKeys.add(this.keys.taskJobLockPrefix("mail"));
		queueKeys.add(this.keys.taskJobLock("mail", "account-7"));
		queueKeys.add(this.keys.taskJobLock("mail", "{other}"));
		assertOneSlot(queueKeys.toArray(String[]::new));
	}

	@Test
	void theTaskKeysOfEveryQueueAreNamedOnce() {
		assertThat(this.keys.taskQueues()).isEqualTo("ns:tasks:queues");
		assertThat(this.keys.taskRecurring()).isEqualTo("{ns:tasks}:recurring");
		assertThat(this.keys.taskWake("mail")).isEqualTo("{ns:tasks}:wake:mail");
		assertThat(this.keys.taskWake("*")).isEqualTo("{ns:tasks}:wake:*");
	}

	@Test
	void theWakeUpListsOfEveryQueueShareOneSlotSoAWorkerCanBlockOnAllItsQueues() {
		assertOneSlot(this.keys.taskWake("mail"), this.keys.taskWake("reports"), this.keys.taskWake("*"));
	}

	@Test
	void theDirectoryIsSplitByNodeRoomHolderBucketAndUserEachUnderATagOfItsOwn() {
		assertThat(this.keys.chat("anything")).isEqualTo("{ns:chat:directory}:anything");
		assertThat(this.keys.chatEpoch()).isEqualTo("{ns:chat:directory}:epoch");
		assertThat(this.keys.chatRooms()).isEqualTo("{ns:chat:directory}:rooms");
		assertThat(this.keys.chatRoomState("lobby")).isEqualTo("{ns:chat:room:lobby}:state");
		assertThat(this.keys.chatRoomMembers("lobby")).isEqualTo("{ns:chat:room:lobby}:members");
		assertThat(this.keys.chatRoomDetails("lobby")).isEqualTo("{ns:chat:room:lobby}:details");
		assertThat(this.keys.chatNodeConnections("node-1")).isEqualTo("{ns:chat:node:node-1}:connections");
		assertThat(this.keys.chatNodeLeaving("node-1")).isEqualTo("{ns:chat:node:node-1}:leaving");
		assertThat(this.keys.chatNodeUsers("node-1")).isEqualTo("{ns:chat:node:node-1}:users");
		assertThat(this.keys.chatNodeFingerprint("node-1")).isEqualTo("{ns:chat:node:node-1}:fingerprint");
		assertThat(this.keys.chatNodeRoomsPrefix("node-1")).isEqualTo("{ns:chat:node:node-1}:rooms:");
		assertThat(this.keys.chatNodeRooms("node-1", "c-1")).isEqualTo("{ns:chat:node:node-1}:rooms:c-1");
		assertThat(this.keys.chatUser("alice")).isEqualTo("{ns:chat:user:alice}");
		assertThat(this.keys.chatHolders("c-1"))
			.isEqualTo(this.keys.chatHolderBucket(Math.floorMod("c-1".hashCode(), ClusterKeys.CHAT_HOLDER_BUCKETS)))
			.startsWith("{ns:chat:holders:");
		assertOneSlot(this.keys.chatEpoch(), this.keys.chatRooms());
		assertOneSlot(this.keys.chatRoomState("lobby"), this.keys.chatRoomMembers("lobby"),
				this.keys.chatRoomDetails("lobby"));
		assertOneSlot(this.keys.chatNodeConnections("node-1"), this.keys.chatNodeLeaving("node-1"),
				this.keys.chatNodeUsers("node-1"), this.keys.chatNodeFingerprint("node-1"),
				this.keys.chatNodeRoomsPrefix("node-1"), this.keys.chatNodeRooms("node-1", "c-1"));
		Set<Integer> slots = new HashSet<>();
		for (int bucket = 0; bucket < ClusterKeys.CHAT_HOLDER_BUCKETS; bucket++) {
			slots.add(SlotHash.getSlot(this.keys.chatHolderBucket(bucket)));
		}
		assertThat(slots).as("each bucket of the index has a slot of its own").hasSize(ClusterKeys.CHAT_HOLDER_BUCKETS);
		assertThat(SlotHash.getSlot(this.keys.chatNodeConnections("node-1")))
			.isNotEqualTo(SlotHash.getSlot(this.keys.chatNodeConnections("node-2")));
	}

	private static void assertOneSlot(String... keys) {
		int slot = SlotHash.getSlot(keys[0]);
		for (String key : keys) {
			assertThat(SlotHash.getSlot(key)).as("the slot of %s", key).isEqualTo(slot);
		}
	}

}
