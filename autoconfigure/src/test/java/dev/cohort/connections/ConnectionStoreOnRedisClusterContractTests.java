package dev.cohort.connections;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.cohort.cluster.ClusterKeys;
import dev.cohort.connections.ConnectionStore.Forgotten;
import dev.cohort.connections.ConnectionStore.Summary;
import dev.cohort.connections.redis.RedisConnectionStore;
import dev.cohort.test.redis.RedisClusterSet;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.SharedRedisClusterConnection;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory's contract on the shared three-master Redis Cluster, where its keys are
 * spread over the masters by hash tag (per node, per room, per user, and per bucket of
 * the connection index), each script working in one slot: every script declares in its
 * keys the one slot it touches (the prefixes of the keys it builds from what it reads
 * included), or Redis Cluster refuses it.
 */
class ConnectionStoreOnRedisClusterContractTests extends AbstractConnectionStoreContractTests {

	@RegisterExtension
	static final SharedRedisClusterConnection cluster = new SharedRedisClusterConnection();

	@Override
	protected ConnectionStore newStore() {
		return store(new ClusterKeys("directory-" + UUID.randomUUID(), "unused"));
	}

	private static ConnectionStore store(ClusterKeys keys) {
		return new RedisConnectionStore(new StringRedisTemplate(cluster.factory()), keys);
	}

	@Test
	void theDirectorysKeysSpreadOverTheMasters() {
		String namespace = "spread-" + UUID.randomUUID();
		ConnectionStore store = store(new ClusterKeys(namespace, "unused"));
		List<String> rooms = List.of("lobby", "games", "kitchen", "garden", "attic");
		rooms.forEach(store::addRoom);
		for (int node = 1; node <= 3; node++) {
			for (int i = 0; i < 4; i++) {
				String id = "node-" + node + "-connection-" + i;
				store.register(id, "node-" + node, "user-" + i);
				for (String room : rooms) {
					assertThat(store.join(room, id, "node-" + node, i)).isEqualTo(1);
				}
			}
		}
		Map<RedisServer, List<String>> keysByMaster = keysByMaster(namespace + ":chat");
		assertThat(keysByMaster.values().stream().mapToInt(List::size).sum())
			.as("each room's state and members; each node's connections, fingerprint, users and rooms per"
					+ " connection; each user's set; the index's buckets; the list of rooms")
			.isGreaterThanOrEqualTo(5 * 2 + 3 * (3 + 4) + 4 + 1 + 1);
		assertThat(keysByMaster).as("masters holding directory keys: %s", keysByMaster).hasSizeGreaterThanOrEqualTo(2);
		RedisClusterSet set = RedisClusterSet.shared();
		for (String room : rooms) {
			assertThat(set.slotOf("{" + namespace + ":chat:room:" + room + "}:members"))
				.isEqualTo(set.slotOf("{" + namespace + ":chat:room:" + room + "}:state"));
		}
		Set<Integer> nodeSlots = new HashSet<>();
		for (int node = 1; node <= 3; node++) {
			nodeSlots.add(set.slotOf("{" + namespace + ":chat:node:node-" + node + "}:connections"));
		}
		assertThat(nodeSlots).as("each node's keys in a slot of their own").hasSize(3);
		assertThat(store.members("attic")).hasSize(12);
		assertThat(store.connectionsOfUser("user-0")).hasSize(3);
		Map<String, Long> sizes = store.roomSizes();
		assertThat(sizes).hasSize(5).allSatisfy((room, size) -> assertThat(size).isEqualTo(12));
	}

	/**
	 * A forget whose caller failed after its first step (the connections moved to the
	 * node's {@code leaving} set, out of its fingerprint) leaves the rooms' members and
	 * the index in place: the node's count shows them, so that its check repairs it, and
	 * the repair's forget, or a purge of the node, finishes them.
	 */
	@Test
	void aForgetThatStoppedHalfWayIsFinishedByTheNextForgetOrPurgeOfTheNode() {
		ClusterKeys keys = new ClusterKeys("half-way-" + UUID.randomUUID(), "unused");
		ConnectionStore store = store(keys);
		store.addRoom("lobby");
		for (String id : List.of("c1", "c2", "c3")) {
			store.register(id, "node-a", "alice");
			store.join("lobby", id, "node-a", 1);
		}
		stopHalfWay(keys, "c1", Map.of("c2", Set.of("lobby"), "c3", Set.of("lobby")));
		Summary summary = store.summary("node-a", "epoch");
		assertThat(summary.connections()).as("c1 is still counted").isEqualTo(3);
		List<String> visited = new ArrayList<>();
		store.connectionsOf("node-a", 10, visited::addAll);
		assertThat(visited).containsExactlyInAnyOrder("c1", "c2", "c3");
		Forgotten forgotten = store.forget("node-a", List.of("c1"));
		assertThat(forgotten).isEqualTo(new Forgotten(1, Map.of("lobby", List.of("c1"))));
		assertThat(store.nodeOf("c1")).isEmpty();
		assertThat(store.connectionsOfUser("alice")).containsOnlyKeys("c2", "c3");
		stopHalfWay(keys, "c2", Map.of("c3", Set.of("lobby")));
		stopHalfWay(keys, "c3", Map.of());
		List<String> left = new ArrayList<>();
		Forgotten batch;
		do {
			batch = store.purgeNode("node-a", 10);
			batch.memberships().values().forEach(left::addAll);
		}
		while (batch.connections() > 0);
		assertThat(left).containsExactlyInAnyOrder("c2", "c3");
		assertThat(store.members("lobby")).isEmpty();
		assertThat(store.connectionsOfUser("alice")).isEmpty();
		assertThat(store.summary("node-a", "epoch")).isEqualTo(new Summary("epoch", false, 0, 0));
	}

	/**
	 * What the first step of forgetting a connection does, as if its caller then failed.
	 */
	private static void stopHalfWay(ClusterKeys keys, String connectionId, Map<String, Set<String>> remaining) {
		StringRedisTemplate redis = new StringRedisTemplate(cluster.factory());
		redis.opsForSet().move(keys.chatNodeConnections("node-a"), connectionId, keys.chatNodeLeaving("node-a"));
		int fingerprint = 0;
		for (Map.Entry<String, Set<String>> connection : remaining.entrySet()) {
			fingerprint ^= DirectoryFingerprint.of(connection.getKey(), connection.getValue());
		}
		redis.opsForValue().set(keys.chatNodeFingerprint("node-a"), Integer.toString(fingerprint));
	}

	/** The keys whose names contain the text, found by {@code SCAN} on each master. */
	private static Map<RedisServer, List<String>> keysByMaster(String text) {
		Map<RedisServer, List<String>> keysByMaster = new HashMap<>();
		for (RedisServer master : RedisClusterSet.shared().masters()) {
			RedisClient client = RedisClient.create(RedisURI.create(master.host(), master.port()));
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				List<String> keys = new ArrayList<>();
				ScanCursor cursor = ScanCursor.INITIAL;
				do {
					KeyScanCursor<String> page = connection.sync()
						.scan(cursor, ScanArgs.Builder.matches("*" + text + "*").limit(1000));
					keys.addAll(page.getKeys());
					cursor = page;
				}
				while (!cursor.isFinished());
				if (!keys.isEmpty()) {
					keysByMaster.put(master, keys);
				}
			}
			finally {
				client.shutdown();
			}
		}
		return keysByMaster;
	}

}
