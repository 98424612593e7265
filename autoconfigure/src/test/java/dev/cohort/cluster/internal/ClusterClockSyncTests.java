package dev.cohort.cluster.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The clock learns the store's time when the node starts, before its bus subscribes; a
 * store it cannot reach fails the start with Cohort's failure analysis.
 */
class ClusterClockSyncTests {

	@Test
	void startSetsTheClockToTheStoresTime() {
		ClusterClock clock = new ClusterClock();
		AtomicInteger reads = new AtomicInteger();
		ClusterClockSync sync = new ClusterClockSync(clock, new TimeOnlyStore(() -> {
			reads.incrementAndGet();
			return System.currentTimeMillis() + 90_000;
		}), "node-a");
		sync.start();
		assertThat(sync.isRunning()).isTrue();
		assertThat(reads).hasValue(ClusterClockSync.READS);
		assertThat(clock.offsetMillis()).isBetween(89_000L, 91_000L);
		assertThat(sync.getPhase()).isLessThan(dev.cohort.cluster.message.internal.ClusterBus.PHASE);
	}

	@Test
	void unreachableStoreFailsTheStart() {
		ClusterClockSync sync = new ClusterClockSync(new ClusterClock(), new TimeOnlyStore(() -> {
			throw new RedisConnectionFailureException("Unable to connect to Redis");
		}), "node-a");
		assertThatExceptionOfType(ClusterConfigurationException.class).isThrownBy(sync::start)
			.withMessageContaining("Node 'node-a' could not read the Redis server's clock")
			.withMessageContaining("Unable to connect to Redis");
		assertThat(sync.isRunning()).isFalse();
	}

	private record TimeOnlyStore(LongSupplier serverClock) implements MembershipStore {

		@Override
		public Heartbeat heartbeat(NodeInfo node, Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void leave(NodeInfo node) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean isRegistered(String nodeId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Map<String, Long> deadlines() {
			throw new UnsupportedOperationException();
		}

		@Override
		public long nextNodeNumber() {
			throw new UnsupportedOperationException();
		}

		@Override
		public long time() {
			return this.serverClock.getAsLong();
		}

	}

}
