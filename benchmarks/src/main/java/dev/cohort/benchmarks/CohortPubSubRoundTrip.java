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

	/**
	 * Starts the two nodes.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param namespace the cluster's namespace
	 * @param blocking whether the handlers are subscribed as handlers that may block (the
	 * default: they run on a handler thread, and B answers with a publish that waits for
	 * Redis) or as handlers that promise not to (they run on the receiving thread, and B
	 * answers with {@link ClusterPubSub#publishToAsync})
	 */
	CohortPubSubRoundTrip(String host, int port, String namespace, boolean blocking) {
		this.a = BenchmarkNode.start(host, port, namespace);
		this.b = BenchmarkNode.start(host, port, namespace);
		this.pubSubA = this.a.getBean(ClusterPubSub.class);
		this.nodeB = this.b.getBean(ClusterNodes.class).self().id();
		ClusterPubSub pubSubB = this.b.getBean(ClusterPubSub.class);
		if (blocking) {
			pubSubB.subscribe("bench.ping", Ping.class,
					(ping, metadata) -> pubSubB.publishTo(metadata.origin(), "bench.pong", ping));
			this.pubSubA.subscribe("bench.pong", Ping.class, (ping, metadata) -> this.pending.complete(ping));
		}
		else {
			pubSubB.subscribeNonBlocking("bench.ping", Ping.class,
					(ping, metadata) -> pubSubB.publishToAsync(metadata.origin(), "bench.pong", ping));
			this.pubSubA.subscribeNonBlocking("bench.pong", Ping.class,
					(ping, metadata) -> this.pending.complete(ping));
		}
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
