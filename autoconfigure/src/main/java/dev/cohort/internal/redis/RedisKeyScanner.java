package dev.cohort.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Finds keys with {@code SCAN} (never {@code KEYS}, which blocks the server), on every
 * master of a Redis Cluster: a plain {@code SCAN} there only sees one node.
 */
public final class RedisKeyScanner {

	private static final int BATCH = 500;

	private RedisKeyScanner() {
	}

	/**
	 * Visits the keys that match a pattern.
	 * @param redis the template
	 * @param pattern a glob pattern
	 * @param batches receives the keys in batches
	 */
	public static void scan(StringRedisTemplate redis, String pattern, Consumer<List<String>> batches) {
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(BATCH).build();
		// The callback answers the number of keys visited, which no caller needs, rather
		// than null, which a RedisCallback's result is not declared to be.
		// Run once: a retry from the start would hand the same keys over again.
		redis.execute(ClusterRetry.once((connection) -> {
			long visited = 0;
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && node.isConnected()) {
						visited += drain(cluster.scan(node, options), batches);
					}
				}
			}
			else {
				visited = drain(connection.keyCommands().scan(options), batches);
			}
			return visited;
		}), true);
	}

	private static long drain(Cursor<byte[]> cursor, Consumer<List<String>> batches) {
		long visited = 0;
		try (cursor) {
			List<String> batch = new ArrayList<>(BATCH);
			while (cursor.hasNext()) {
				batch.add(new String(cursor.next(), StandardCharsets.UTF_8));
				visited++;
				if (batch.size() == BATCH) {
					batches.accept(List.copyOf(batch));
					batch.clear();
				}
			}
			if (!batch.isEmpty()) {
				batches.accept(batch);
			}
		}
		return visited;
	}

}
