package dev.cohort.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.cohort.benchmarks.Payloads.Ping;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.RpcMethods;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Calls through {@link ClusterRpc} between nodes that each expose {@code bench.echo}, a
 * method that returns its argument: node A calls node B ({@link #roundTrip},
 * {@link #start}), or broadcasts to every node, itself included ({@link #broadcast}).
 * Every request and reply is mapped, signed and checked.
 */
final class CohortRpc implements AsyncRoundTrip {

	static final String ECHO = "bench.echo";

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private final ClusterRpc rpcA;

	private final String nodeB;

	/**
	 * Starts the nodes and waits until node A sees them all.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param namespace the cluster's namespace
	 * @param count how many nodes, at least two
	 * @param blocking whether {@code bench.echo} is exposed as a method that may block
	 * (the default, run on an RPC thread) or as one that promises not to (run on the
	 * thread that received the call)
	 */
	CohortRpc(String host, int port, String namespace, int count, boolean blocking) throws InterruptedException {
		try {
			for (int i = 0; i < count; i++) {
				ConfigurableApplicationContext node = BenchmarkNode.start(host, port, namespace);
				this.nodes.add(node);
				RpcMethods methods = node.getBean(RpcMethods.class);
				if (blocking) {
					methods.expose(ECHO, Ping.class, (ping) -> ping);
				}
				else {
					methods.exposeNonBlocking(ECHO, Ping.class, (ping) -> ping);
				}
			}
			this.rpcA = this.nodes.get(0).getBean(ClusterRpc.class);
			this.nodeB = this.nodes.get(1).getBean(ClusterNodes.class).self().id();
			awaitMembers(this.nodes.get(0).getBean(ClusterNodes.class), count);
		}
		catch (RuntimeException | InterruptedException ex) {
			close();
			throw ex;
		}
	}

	private static void awaitMembers(ClusterNodes nodes, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (nodes.members().size() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Node A sees " + nodes.members() + ", not " + count + " nodes");
			}
			nodes.refresh();
			Thread.sleep(10);
		}
	}

	@Override
	public void roundTrip(long sequence) throws Exception {
		Ping echoed = this.rpcA.call(this.nodeB, ECHO, Ping.class, new Ping(sequence, Payloads.TEXT))
			.get(5, TimeUnit.SECONDS);
		check(echoed, sequence);
	}

	@Override
	public CompletableFuture<?> start(long sequence) {
		return this.rpcA.call(this.nodeB, ECHO, Ping.class, new Ping(sequence, Payloads.TEXT))
			.thenAccept((echoed) -> check(echoed, sequence));
	}

	/**
	 * A broadcast from node A to every node, A included, that waits for all the answers.
	 * @return the round trip
	 */
	RoundTrip broadcast() {
		int count = this.nodes.size();
		return new RoundTrip() {

			@Override
			public void roundTrip(long sequence) throws Exception {
				BroadcastResult<Ping> result = CohortRpc.this.rpcA
					.broadcast(ECHO, Ping.class, new Ping(sequence, Payloads.TEXT))
					.get(5, TimeUnit.SECONDS);
				Map<String, Ping> values = result.values();
				if (values.size() != count) {
					throw new IllegalStateException(
							"Broadcast answered by " + values.size() + " of " + count + " nodes: " + result.outcomes());
				}
				values.values().forEach((echoed) -> check(echoed, sequence));
			}

			@Override
			public void close() {
				// The nodes are closed with the CohortRpc.
			}

		};
	}

	private static void check(Ping echoed, long sequence) {
		if (echoed == null || echoed.sequence() != sequence) {
			throw new IllegalStateException("Wrong reply " + echoed);
		}
	}

	@Override
	public void close() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
	}

}
