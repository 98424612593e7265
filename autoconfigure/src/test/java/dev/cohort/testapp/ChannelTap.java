package dev.cohort.testapp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.cluster.message.internal.EnvelopeCodec;
import dev.cohort.test.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Listens on a channel as an eavesdropper would, and keeps every frame, so that a test
 * can read what nodes sent and publish it again.
 */
public final class ChannelTap implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private final List<byte[]> frames = new CopyOnWriteArrayList<>();

	private final EnvelopeCodec codec = new EnvelopeCodec();

	private ChannelTap(RedisServer redis, String channel) {
		this.client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		this.connection = this.client.connectPubSub(ByteArrayCodec.INSTANCE);
		this.connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(byte[] channel, byte[] message) {
				ChannelTap.this.frames.add(message);
			}

		});
		this.connection.sync().subscribe(channel.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Starts listening; returns once subscribed.
	 * @param redis the server
	 * @param channel the channel
	 * @return the tap
	 */
	public static ChannelTap on(RedisServer redis, String channel) {
		return new ChannelTap(redis, channel);
	}

	/**
	 * The frames heard so far whose envelope has the given type.
	 * @param type the message type
	 * @return the frames, in the order heard
	 */
	public List<byte[]> frames(String type) {
		return this.frames.stream().filter((frame) -> this.codec.decode(frame).type().equals(type)).toList();
	}

	/**
	 * The envelopes heard so far of the given type.
	 * @param type the message type
	 * @return the envelopes, in the order heard
	 */
	public List<Envelope> envelopes(String type) {
		return frames(type).stream().map(this.codec::decode).toList();
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
