package dev.cohort.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * Connections for blocking commands, which must not run on the connection every other
 * command shares. With Lettuce they come from the application's own Lettuce client, so
 * they have its address, credentials and TLS, and wait to the millisecond; Spring Data's
 * own blocking commands only wait whole seconds. Other clients fall back to Spring Data,
 * rounding waits up to the second.
 * <p>
 * Either way a failure reaches the caller as Spring's {@link DataAccessException}, as
 * from every other command: Lettuce's own exceptions are translated as Spring Data Redis
 * translates them on its connections.
 */
public final class BlockingRedis {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			BlockingRedis.class.getClassLoader());

	private final RedisConnectionFactory factory;

	public BlockingRedis(RedisConnectionFactory factory) {
		this.factory = factory;
	}

	/**
	 * Opens a connection of its own, to be closed by the caller. Closing it also ends a
	 * wait in progress on another thread.
	 * @return the connection
	 */
	public Connection open() {
		if (LETTUCE_PRESENT && this.factory instanceof LettuceConnectionFactory lettuce) {
			AbstractRedisClient client = lettuce.getRequiredNativeClient();
			return LettuceBlocking.translated(() -> LettuceBlocking.open(client));
		}
		return new SpringDataBlocking(this.factory.getConnection());
	}

	/**
	 * A connection that may block.
	 */
	public interface Connection extends AutoCloseable {

		/**
		 * Takes the first element of the first non-empty list, waiting for one up to a
		 * timeout. On a Redis Cluster, the lists must share a hash tag.
		 * @param timeout the longest wait
		 * @param keys the lists, in order
		 * @return the element, or {@code null} if none came in time
		 * @throws DataAccessException if Redis failed or could not be reached, or the
		 * connection was closed while waiting
		 */
		@Nullable String leftPop(Duration timeout, String... keys);

		/**
		 * Waits as {@link #leftPop} does, then runs a script, both sent at once on this
		 * connection: Redis runs the script as soon as the wait ends, with no round trip
		 * to the client in between. The reply is handled on the thread that got it (a
		 * Lettuce event loop, where nothing may wait on Redis), with no switch to the
		 * caller's in between, and the next round, if {@code again} asks for one, is sent
		 * from there too; the caller waits for the last. Only on one Redis (alone or
		 * under Sentinel): on a Redis Cluster the two may go to different nodes.
		 * @param <T> what handling a reply gives
		 * @param first the first round
		 * @param keys the lists
		 * @param script the script
		 * @param scriptKeys its keys
		 * @param onReply handles the script's reply (text as {@code String}, numbers as
		 * {@code Long}); it must not answer {@code null}
		 * @param again the next round after a reply, or {@code null} to end
		 * @return what handling the last reply gave, or {@code null} if this connection
		 * cannot send both at once
		 * @throws DataAccessException if Redis failed or could not be reached, or the
		 * connection was closed while waiting
		 * @throws InterruptedException if interrupted while waiting
		 */
		default <T> @Nullable T leftPopThenRun(Round first, String[] keys, RedisScript<?> script,
				List<String> scriptKeys, Function<List<Object>, T> onReply, Function<T, @Nullable Round> again)
				throws InterruptedException {
			return null;
		}

		@Override
		void close();

	}

	/**
	 * A round of {@link Connection#leftPopThenRun}.
	 *
	 * @param timeout the longest wait
	 * @param args the script's arguments
	 */
	public record Round(Duration timeout, List<String> args) {
	}

	private static final class LettuceBlocking implements Connection {

		private final StatefulConnection<String, String> connection;

		private LettuceBlocking(StatefulConnection<String, String> connection) {
			this.connection = connection;
		}

		static Connection open(AbstractRedisClient client) {
			if (client instanceof RedisClusterClient cluster) {
				return new LettuceBlocking(cluster.connect(StringCodec.UTF8));
			}
			return new LettuceBlocking(((RedisClient) client).connect(StringCodec.UTF8));
		}

		/**
		 * Runs a Lettuce call, its exceptions translated to Spring's.
		 */
		static <T> T translated(Supplier<T> call) {
			try {
				return call.get();
			}
			catch (RuntimeException ex) {
				throw LettuceScripts.translated(ex);
			}
		}

		@Override
		public @Nullable String leftPop(Duration timeout, String... keys) {
			double seconds = Math.max(0.001, timeout.toMillis() / 1000.0);
			// The command may take as long as its wait: the client's command timeout
			// (spring.data.redis.timeout) would otherwise cut it short.
			this.connection.setTimeout(timeout.plusSeconds(10));
			KeyValue<String, String> popped = translated(() -> blpop(seconds, keys));
			return (popped != null && popped.hasValue()) ? popped.getValue() : null;
		}

		@Override
		public <T> @Nullable T leftPopThenRun(Round first, String[] keys, RedisScript<?> script,
				List<String> scriptKeys, Function<List<Object>, T> onReply, Function<T, @Nullable Round> again)
				throws InterruptedException {
			if (!(this.connection instanceof StatefulRedisConnection<String, String> single)) {
				return null;
			}
			Rounds<T> rounds = new Rounds<>(single.async(), keys, script, scriptKeys.toArray(String[]::new), onReply,
					again);
			rounds.send(first);
			return rounds.await();
		}

		/**
		 * The rounds of one {@link #leftPopThenRun}: each sent from the thread that got
		 * the reply before, the caller told only at the end.
		 */
		private final class Rounds<T> {

			private final RedisAsyncCommands<String, String> commands;

			private final String[] keys;

			private final RedisScript<?> script;

			private final String[] scriptKeys;

			private final Function<List<Object>, T> onReply;

			private final Function<T, @Nullable Round> again;

			private final CompletableFuture<T> last = new CompletableFuture<>();

			private final AtomicLong replies = new AtomicLong();

			private volatile Duration timeout = Duration.ZERO;

			Rounds(RedisAsyncCommands<String, String> commands, String[] keys, RedisScript<?> script,
					String[] scriptKeys, Function<List<Object>, T> onReply, Function<T, @Nullable Round> again) {
				this.commands = commands;
				this.keys = keys;
				this.script = script;
				this.scriptKeys = scriptKeys;
				this.onReply = onReply;
				this.again = again;
			}

			void send(Round round) {
				this.timeout = round.timeout();
				double seconds = Math.max(0.001, round.timeout().toMillis() / 1000.0);
				// The command may take as long as its wait: the client's command timeout
				// would otherwise cut it short.
				LettuceBlocking.this.connection.setTimeout(round.timeout().plusSeconds(10));
				String[] args = round.args().toArray(String[]::new);
				this.commands.blpop(seconds, this.keys);
				LettuceScripts.run(this.commands, this.script, this.scriptKeys, args).whenComplete(this::replied);
			}

			private void replied(@Nullable List<Object> reply, @Nullable Throwable ex) {
				if (ex != null || reply == null) {
					this.last.completeExceptionally((ex != null) ? ex : new IllegalStateException("No reply"));
					return;
				}
				try {
					T handled = this.onReply.apply(reply);
					this.replies.incrementAndGet();
					Round next = this.again.apply(handled);
					if (next != null) {
						send(next);
					}
					else {
						this.last.complete(handled);
					}
				}
				catch (RuntimeException failed) {
					this.last.completeExceptionally(failed);
				}
			}

			/**
			 * Waits for the last round, as long as the rounds go on: a round that got no
			 * reply within its wait and 10 seconds more has failed.
			 */
			T await() throws InterruptedException {
				long seen = 0;
				while (true) {
					Duration wait = this.timeout.plusSeconds(10);
					try {
						return this.last.get(wait.toMillis(), TimeUnit.MILLISECONDS);
					}
					catch (ExecutionException ex) {
						throw LettuceScripts
							.translated(LettuceScripts.cause((ex.getCause() != null) ? ex.getCause() : ex));
					}
					catch (TimeoutException ex) {
						long replies = this.replies.get();
						if (replies == seen) {
							throw LettuceScripts
								.translated(new RedisCommandTimeoutException("No answer within " + wait));
						}
						seen = replies;
					}
				}
			}

		}

		private @Nullable KeyValue<String, String> blpop(double seconds, String... keys) {
			return (this.connection instanceof StatefulRedisClusterConnection<String, String> cluster)
					? cluster.sync().blpop(seconds, keys)
					: ((StatefulRedisConnection<String, String>) this.connection).sync().blpop(seconds, keys);
		}

		@Override
		public void close() {
			// The client may have closed it already when the application stops: Lettuce
			// warns about closing it twice.
			if (!(this.connection instanceof RedisChannelHandler<?, ?> handler) || !handler.isClosed()) {
				this.connection.close();
			}
		}

	}

	private static final class SpringDataBlocking implements Connection {

		private final RedisConnection connection;

		private SpringDataBlocking(RedisConnection connection) {
			this.connection = connection;
		}

		@Override
		public @Nullable String leftPop(Duration timeout, String... keys) {
			int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
			byte[][] raw = new byte[keys.length][];
			for (int i = 0; i < keys.length; i++) {
				raw[i] = keys[i].getBytes(StandardCharsets.UTF_8);
			}
			List<byte[]> popped = this.connection.listCommands().bLPop(seconds, raw);
			return (popped != null && popped.size() == 2) ? new String(popped.get(1), StandardCharsets.UTF_8) : null;
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

}
