package dev.cohort.test.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisClusterSet}.
 */
class RedisClusterSetTests {

	@Test
	void clusterClientWritesAndReadsKeysOnAllMasters() {
		try (RedisClusterSet cluster = RedisClusterSet.start()) {
			assertThat(cluster.nodeAddresses()).hasSize(3)
				.allSatisfy((address) -> assertThat(address).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:6379"));
			RedisClusterClient clusterClient = clusterClient(cluster);
			try (StatefulRedisClusterConnection<String, String> connection = clusterClient.connect()) {
				Map<String, String> keys = oneKeyPerMaster();
				keys.forEach((key, value) -> connection.sync().set(key, value));
				keys.forEach((key, value) -> assertThat(connection.sync().get(key)).isEqualTo(value));
				Set<Integer> ports = keys.keySet()
					.stream()
					.map((key) -> connection.getPartitions()
						.getPartitionBySlot(SlotHash.getSlot(key))
						.getUri()
						.getPort())
					.collect(Collectors.toSet());
				assertThat(ports)
					.containsExactlyInAnyOrderElementsOf(cluster.masters().stream().map(RedisServer::port).toList());
			}
			finally {
				clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
			RedisClient client = RedisClient.create();
			try {
				for (RedisServer master : cluster.masters()) {
					try (StatefulRedisConnection<String, String> connection = client
						.connect(RedisURI.create(master.uri()))) {
						assertThat(connection.sync().clusterInfo()).contains("cluster_state:ok");
					}
				}
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
	}

	@Test
	void replicasTakeOverKilledMastersAndSlotsMigrateWithTheirKeys() {
		try (RedisClusterSet cluster = RedisClusterSet.startWithReplicas()) {
			assertThat(cluster.replicas()).hasSize(3);
			RedisClusterClient clusterClient = clusterClient(cluster);
			try (StatefulRedisClusterConnection<String, String> connection = clusterClient.connect()) {
				String tag = "{migrating}";
				for (int i = 0; i < 5; i++) {
					connection.sync().set(tag + i, "v" + i);
				}
				int slot = cluster.slotOf(tag + 0);
				assertThat(slot).isEqualTo(SlotHash.getSlot(tag + 0));
				RedisServer source = cluster.masterOf(slot);
				RedisServer target = cluster.masters()
					.stream()
					.filter((m) -> !m.equals(source))
					.findFirst()
					.orElseThrow();
				List<Long> tryAgains = new ArrayList<>();
				int moved = cluster.migrateSlot(slot, target, 2,
						() -> tryAgains.add(RedisClusterSet.errorCount(source, "TRYAGAIN")));
				assertThat(moved).isEqualTo(5);
				assertThat(tryAgains).hasSize(2);
				assertThat(cluster.masterOf(slot)).isEqualTo(target);
				connection.sync().set(tag + 5, "v5");
				connection.sync().waitForReplication(1, 5000);
				RedisServer promoted = cluster.killMaster(target);
				assertThat(cluster.replicas()).contains(promoted);
				assertThat(cluster.masterOf(slot)).isEqualTo(promoted);
				RedisClient single = RedisClient.create();
				try (StatefulRedisConnection<String, String> direct = single.connect(RedisURI.create(promoted.uri()))) {
					for (int i = 0; i < 6; i++) {
						assertThat(direct.sync().get(tag + i)).isEqualTo("v" + i);
					}
				}
				finally {
					single.shutdown(Duration.ZERO, Duration.ofSeconds(2));
				}
			}
			finally {
				clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
	}

	private static RedisClusterClient clusterClient(RedisClusterSet cluster) {
		return RedisClusterClient
			.create(cluster.nodeAddresses().stream().map((address) -> RedisURI.create("redis://" + address)).toList());
	}

	/**
	 * Keys hashing to slots 0-5460, 5461-10922 and 10923-16383, one for each master.
	 */
	private static Map<String, String> oneKeyPerMaster() {
		int[] rangeStarts = { 0, 5461, 10923, 16384 };
		Map<String, String> keys = new LinkedHashMap<>();
		for (int range = 0; range < 3; range++) {
			for (int i = 0;; i++) {
				String key = "cluster-smoke-" + i;
				int slot = SlotHash.getSlot(key);
				if (slot >= rangeStarts[range] && slot < rangeStarts[range + 1]) {
					keys.put(key, "value-" + range);
					break;
				}
			}
		}
		return keys;
	}

}
