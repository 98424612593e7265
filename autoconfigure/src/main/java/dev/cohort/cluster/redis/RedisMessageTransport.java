package dev.cohort.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import dev.cohort.cluster.message.MessageTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Carries frames over one Redis pub/sub channel. Publishing uses the application's
 * connection factory; receiving uses a listener on a
 * {@link RedisMessageListenerContainer}, which calls it on the container's task executor,
 * off the Redis I/O threads.
 */
public class RedisMessageTransport implements MessageTransport {

	private final RedisConnectionFactory connectionFactory;

	private final RedisMessageListenerContainer container;

	private final ChannelTopic topic;

	private final byte[] channel;

	private @Nullable MessageListener listener;

	public RedisMessageTransport(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer container,
			String channel) {
		this.connectionFactory = connectionFactory;
		this.container = container;
		this.topic = ChannelTopic.of(channel);
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public synchronized void start(Consumer<byte[]> receiver) {
		if (this.listener == null) {
			this.listener = (message, pattern) -> receiver.accept(message.getBody());
			this.container.addMessageListener(this.listener, this.topic);
		}
	}

	@Override
	public void send(byte[] frame) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.publish(this.channel, frame);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.listener != null) {
			this.container.removeMessageListener(this.listener, this.topic);
			this.listener = null;
		}
	}

}
