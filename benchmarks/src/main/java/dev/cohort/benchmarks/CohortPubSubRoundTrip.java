package dev.cohort.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.cohort.benchmarks.Payloads.Ping;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.pubsub.ClusterPubSub;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same request/reply loop through {@link ClusterPubSub}: node A publishes to node B,
 * B's handler answers A, A waits. Every message is signed, checked and mapped.
 */
final class CohortPubSubRoundTrip implements RoundTrip {

	private final ConfigurableApplicationContext a;

	private final ConfigurableApplicationContext b;

	private final ClusterPubSub pubSubA;

	private final String nodeB;

	private volatile CompletableFuture<Ping> pending;

	CohortPubSubRoundTrip(String host, int port) {
		this.a = BenchmarkNode.start(host, port, "bench-pubsub");
		this.b = BenchmarkNode.start(host, port, "bench-pubsub");
		this.pubSubA = this.a.getBean(ClusterPubSub.class);
		this.nodeB = this.b.getBean(ClusterNodes.class).self().id();
		ClusterPubSub pubSubB = this.b.getBean(ClusterPubSub.class);
		pubSubB.subscribe("bench.ping", Ping.class,
				(ping, metadata) -> pubSubB.publishTo(metadata.origin(), "bench.pong", ping));
		this.pubSubA.subscribe("bench.pong", Ping.class, (ping, metadata) -> this.pending.complete(ping));
	}

	@Override
	public void roundTrip(long sequence) throws Exception {
		CompletableFuture<Ping> reply = new CompletableFuture<>();
		this.pending = reply;
		this.pubSubA.publishTo(this.nodeB, "bench.ping", new Ping(sequence, Payloads.TEXT));
		Ping echoed = reply.get(5, TimeUnit.SECONDS);
		if (echoed.sequence() != sequence) {
			throw new IllegalStateException("Wrong reply " + echoed);
		}
	}

	@Override
	public void close() {
		this.a.close();
		this.b.close();
	}

}
