package dev.cohort.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The floor: a request/reply loop over plain Lettuce PUBLISH/SUBSCRIBE with the same JSON
 * payload and no envelope, no signing, no mapping. Node B replies straight from the
 * Lettuce I/O thread.
 */
final class RawLettucePubSub implements RoundTrip {

	private final RedisClient clientA;

	private final RedisClient clientB;

	private final StatefulRedisConnection<String, String> publisherA;

	private final StatefulRedisConnection<String, String> publisherB;

	private final StatefulRedisPubSubConnection<String, String> subscriberA;

	private final StatefulRedisPubSubConnection<String, String> subscriberB;

	private volatile CompletableFuture<String> pending;

	RawLettucePubSub(String host, int port) {
		this.clientA = RedisClient.create(RedisURI.create(host, port));
		this.clientB = RedisClient.create(RedisURI.create(host, port));
		this.publisherA = this.clientA.connect();
		this.publisherB = this.clientB.connect();
		this.subscriberA = this.clientA.connectPubSub();
		this.subscriberB = this.clientB.connectPubSub();
		this.subscriberB.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				RawLettucePubSub.this.publisherB.async().publish("raw:reply", message);
			}
		});
		this.subscriberA.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				RawLettucePubSub.this.pending.complete(message);
			}
		});
		this.subscriberB.sync().subscribe("raw:request");
		this.subscriberA.sync().subscribe("raw:reply");
	}

	@Override
	public void roundTrip(long sequence) throws Exception {
		CompletableFuture<String> reply = new CompletableFuture<>();
		this.pending = reply;
		this.publisherA.sync().publish("raw:request", Payloads.ping(sequence));
		String echoed = reply.get(5, TimeUnit.SECONDS);
		if (!echoed.contains("\"sequence\":" + sequence + ",")) {
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
