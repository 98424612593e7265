package dev.cohort.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.message.MessageTransport;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.internal.redis.ClusterRetry;
import dev.cohort.internal.redis.LettuceScripts;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;

/**
 * Carries frames over Redis pub/sub: broadcasts on the cluster's channel, and frames for
 * one node on that node's own channel (see {@link ClusterKeys#nodeChannel}), so that a
 * message for one node costs the others nothing. Publishing uses the application's
 * connection factory. Receiving uses a {@link RedisMessageListenerContainer} of Cohort's
 * own, not the application's: it hands each frame over on the Redis I/O thread that read
 * it, where the bus only checks it and queues it for a handler thread. The container
 * still brings subscription recovery after a lost connection.
 * <p>
 * Why not Boot's auto-configured container: it runs every message on a new thread
 * (unbounded, and a thread start per message), and the application may configure it for
 * its own listeners. Cohort needs bounded, back-pressured delivery and must stay
 * subscribed until the node has left; one more pub/sub connection per node is the price.
 */
public class RedisMessageTransport implements MessageTransport {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(
			"io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands",
			RedisMessageTransport.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	private final ClusterKeys keys;

	private final RedisMessageListenerContainer container;

	private @Nullable MessageListener listener;

	/**
	 * The application's shared connection to a standalone or Sentinel-managed Redis, kept
	 * between publishes: asking the factory for it on every publish took a lock and a
	 * connection wrapper, 4% of the CPU of an RPC call in a profile. {@code null} until
	 * the first asynchronous publish, and where the connection is not shared.
	 */
	private volatile @Nullable SharedPublisher sharedPublisher;

	private List<ChannelTopic> topics = List.of();

	private boolean initialized;

	/**
	 * Creates a transport.
	 * @param connectionFactory the application's connection factory
	 * @param keys names the channels
	 * @param container a container that is not yet started; this transport sets its
	 * connection factory and task executor, starts and stops it
	 */
	public RedisMessageTransport(RedisConnectionFactory connectionFactory, ClusterKeys keys,
			RedisMessageListenerContainer container) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.container = container;
		this.container.setConnectionFactory(connectionFactory);
		this.container.setTaskExecutor(new SyncTaskExecutor());
	}

	@Override
	public synchronized void start(String nodeId, Consumer<byte[]> receiver) {
		if (this.listener != null) {
			return;
		}
		this.listener = (message, pattern) -> receiver.accept(message.getBody());
		this.topics = List.of(ChannelTopic.of(this.keys.channel()), ChannelTopic.of(this.keys.nodeChannel(nodeId)));
		this.container.addMessageListener(this.listener, this.topics);
		if (!this.initialized) {
			this.container.afterPropertiesSet();
			this.initialized = true;
		}
		try {
			this.container.start();
		}
		catch (RuntimeException ex) {
			throw new ClusterConfigurationException(
					"Node '" + nodeId + "' could not subscribe to " + this.topics + ": "
							+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage(),
					"Check that Redis is reachable and that the Redis user may SUBSCRIBE to '" + this.keys.channel()
							+ "' and '" + this.keys.nodeChannelPattern() + "' (see docs/security.md).",
					ex);
		}
	}

	@Override
	public void send(String target, byte[] frame) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.publish(channelOf(target).getBytes(StandardCharsets.UTF_8), frame);
		}
	}

	/**
	 * Publishes through Lettuce's asynchronous commands on the application's shared
	 * connection, so that a caller can have many messages in flight. With another driver
	 * it publishes synchronously.
	 * <p>
	 * While the connection is lost, Lettuce (with the options Spring Boot gives it) keeps
	 * the command in a buffer, without limit but for at most the command timeout, and
	 * sends it once it has reconnected. Cancelling the returned future cancels the
	 * command: one that still waits in that buffer is then never sent. On a Redis
	 * Cluster, where Cohort has Lettuce reject a command for a node that is down rather
	 * than buffer it, the publish is sent again as {@link ClusterRetry} does; elsewhere
	 * it is sent once. A publish that fails does so with Spring's
	 * {@code DataAccessException}, as a synchronous one would
	 * ({@code QueryTimeoutException} when the command timed out).
	 */
	@Override
	@SuppressWarnings("unchecked")
	public CompletableFuture<Void> sendAsync(String target, byte[] frame) {
		byte[] channel = channelOf(target).getBytes(StandardCharsets.UTF_8);
		SharedPublisher shared = this.sharedPublisher;
		if (shared != null && shared.isOpen()) {
			return new Publish(shared.publish(channel, frame));
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (LETTUCE_PRESENT
					&& connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> commands) {
				Supplier<CompletableFuture<?>> publish = () -> ((RedisClusterAsyncCommands<byte[], byte[]>) commands)
					.publish(channel, frame)
					.toCompletableFuture();
				if (connection instanceof RedisClusterConnection) {
					return new Publish(publish);
				}
				this.sharedPublisher = SharedPublisher.of(this.connectionFactory, commands);
				return new Publish(publish.get());
			}
			connection.publish(channel, frame);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publishes on the connection factory's shared native connection, for as long as that
	 * connection is open. Lettuce keeps one connection open through reconnects (it
	 * buffers commands meanwhile, as for any publish); the factory closes it only when it
	 * is reset or stopped, and then the transport asks the factory again. A factory that
	 * does not share its connection lends one per use (from a pool, say), which must not
	 * be kept: then there is no shared publisher.
	 */
	private static final class SharedPublisher {

		private final RedisAsyncCommands<byte[], byte[]> commands;

		private SharedPublisher(RedisAsyncCommands<byte[], byte[]> commands) {
			this.commands = commands;
		}

		@SuppressWarnings("unchecked")
		static @Nullable SharedPublisher of(RedisConnectionFactory factory, Object commands) {
			boolean shared = factory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection();
			return (shared && commands instanceof RedisAsyncCommands<?, ?> async)
					? new SharedPublisher((RedisAsyncCommands<byte[], byte[]>) async) : null;
		}

		boolean isOpen() {
			return this.commands.getStatefulConnection().isOpen();
		}

		CompletableFuture<?> publish(byte[] channel, byte[] frame) {
			return this.commands.publish(channel, frame).toCompletableFuture();
		}

	}

	/**
	 * The end of a publish; cancelling it cancels the command, and any retry.
	 */
	private static final class Publish extends CompletableFuture<Void> {

		private volatile CompletableFuture<?> command = CompletableFuture.completedFuture(null);

		/**
		 * A publish on a Redis Cluster, sent again as {@link ClusterRetry} does if the
		 * changing cluster refused it.
		 */
		Publish(Supplier<CompletableFuture<?>> send) {
			ClusterRetry.DEFAULT.<Object>callAsync(() -> {
				if (isCancelled()) {
					return CompletableFuture.failedFuture(new CancellationException());
				}
				CompletableFuture<?> sent = send.get();
				this.command = sent;
				return sent.thenApply((receivers) -> receivers);
			}).whenComplete(this::end);
		}

		/**
		 * A publish to a standalone or Sentinel-managed Redis, which refuses nothing that
		 * a retry would cure: followed directly, since each stage of a retry costs every
		 * message its share of CPU.
		 */
		Publish(CompletableFuture<?> sent) {
			this.command = sent;
			sent.whenComplete(this::end);
		}

		private void end(@Nullable Object receivers, @Nullable Throwable ex) {
			if (ex != null) {
				// As a synchronous publish fails: a DataAccessException, such as
				// QueryTimeoutException when the command timed out
				completeExceptionally(LettuceScripts.translated(LettuceScripts.cause(ex)));
			}
			else {
				complete(null);
			}
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			this.command.cancel(false);
			return cancelled;
		}

	}

	private String channelOf(String target) {
		return Envelope.ALL.equals(target) ? this.keys.channel() : this.keys.nodeChannel(target);
	}

	@Override
	public synchronized void stop() {
		if (this.listener == null) {
			return;
		}
		this.container.stop();
		this.container.removeMessageListener(this.listener, this.topics);
		this.listener = null;
	}

}
