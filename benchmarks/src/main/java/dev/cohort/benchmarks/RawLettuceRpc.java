package dev.cohort.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The floor of a request/reply round trip, for pub/sub and RPC alike: plain Lettuce
 * PUBLISH/SUBSCRIBE with the same JSON payload and no envelope, no signing, no mapping.
 * Like two Cohort nodes, "node" A and "node" B each have a Redis client of their own (own
 * connections, own I/O threads). Calls are told apart, so that many can be in flight: the
 * sequence in the payload is the call id, and a table of pending futures matches replies
 * to calls. Node B answers straight from its Lettuce I/O thread with an asynchronous
 * PUBLISH.
 */
final class RawLettuceRpc implements AsyncRoundTrip {

	private final RedisClient clientA;

	private final RedisClient clientB;

	private final StatefulRedisConnection<String, String> publisherA;

	private final StatefulRedisConnection<String, String> publisherB;

	private final StatefulRedisPubSubConnection<String, String> subscriberA;

	private final StatefulRedisPubSubConnection<String, String> subscriberB;

	private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

	private final String requests;

	/**
	 * Connects both "nodes".
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param channelPrefix the prefix of the request and reply channels
	 */
	RawLettuceRpc(String host, int port, String channelPrefix) {
		this.requests = channelPrefix + ":request";
		String replies = channelPrefix + ":reply";
		this.clientA = RedisClient.create(RedisURI.create(host, port));
		this.clientB = RedisClient.create(RedisURI.create(host, port));
		this.publisherA = this.clientA.connect();
		this.publisherB = this.clientB.connect();
		this.subscriberA = this.clientA.connectPubSub();
		this.subscriberB = this.clientB.connectPubSub();
		this.subscriberB.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				RawLettuceRpc.this.publisherB.async().publish(replies, message);
			}
		});
		this.subscriberA.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				CompletableFuture<String> call = RawLettuceRpc.this.pending.remove(Payloads.sequenceOf(message));
				if (call != null) {
					call.complete(message);
				}
			}
		});
		this.subscriberB.sync().subscribe(this.requests);
		this.subscriberA.sync().subscribe(replies);
	}

	/**
	 * One call, waiting for Redis to take the request before waiting for the reply, as
	 * Cohort's pub/sub does.
	 */
	@Override
	public void roundTrip(long sequence) throws Exception {
		CompletableFuture<String> reply = new CompletableFuture<>();
		this.pending.put(sequence, reply);
		this.publisherA.sync().publish(this.requests, Payloads.ping(sequence));
		check(reply.get(5, TimeUnit.SECONDS), sequence);
	}

	/**
	 * One call with an asynchronous PUBLISH: returns at once.
	 */
	@Override
	public CompletableFuture<?> start(long sequence) {
		CompletableFuture<String> reply = new CompletableFuture<>();
		this.pending.put(sequence, reply);
		this.publisherA.async().publish(this.requests, Payloads.ping(sequence)).whenComplete((receivers, ex) -> {
			if (ex != null && this.pending.remove(sequence) != null) {
				reply.completeExceptionally(ex);
			}
		});
		return reply.thenAccept((echoed) -> check(echoed, sequence));
	}

	private static void check(String echoed, long sequence) {
		if (Payloads.sequenceOf(echoed) != sequence) {
			throw new IllegalStateException("Wrong reply " + echoed);
		}
	}

	@Override
	public void close() {
		this.subscriberA.close();
		this.subscriberB.close();
		this.publisherA.close();
		this.publisherB.close();
		this.clientA.shutdown();
		this.clientB.shutdown();
	}

}
