package dev.cohort.test.redis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisSentinelSet}.
 */
class RedisSentinelSetTests {

	@Test
	void sentinelsReportTheMasterAndTheReplicaFollowsIt() {
		RedisClient client = RedisClient.create();
		try (RedisSentinelSet set = RedisSentinelSet.start()) {
			assertThat(set.sentinelPorts()).hasSize(3).doesNotContain(6379, 26379);
			for (int port : set.sentinelPorts()) {
				try (StatefulRedisSentinelConnection<String, String> sentinel = client
					.connectSentinel(RedisURI.create("127.0.0.1", port))) {
					SocketAddress master = sentinel.sync().getMasterAddrByName(set.masterName());
					assertThat(master).isInstanceOfSatisfying(InetSocketAddress.class, (address) -> {
						assertThat(address.getHostString()).isEqualTo("127.0.0.1");
						assertThat(address.getPort()).isEqualTo(set.master().port());
					});
				}
			}
			try (StatefulRedisConnection<String, String> master = client.connect(RedisURI.create(set.master().uri()));
					StatefulRedisConnection<String, String> replica = client
						.connect(RedisURI.create(set.replica().uri()))) {
				master.sync().set("sentinel-smoke", "replicated");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(replica.sync().get("sentinel-smoke")).isEqualTo("replicated"));
			}
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

}
