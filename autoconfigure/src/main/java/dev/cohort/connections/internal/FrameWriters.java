package dev.cohort.connections.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * The {@link FrameWriter} of a WebSocket session: the asynchronous remote endpoint of its
 * {@code jakarta.websocket} session when it has one (the servlet containers'), so that a
 * client that does not read holds no thread at all; otherwise blocking sends on a pool of
 * threads of their own, never a shared one.
 */
final class FrameWriters {

	private static final Log logger = LogFactory.getLog(FrameWriters.class);

	private static final boolean JAKARTA_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			FrameWriters.class.getClassLoader());

	private FrameWriters() {
	}

	/**
	 * The writer of a session.
	 * @param session the session
	 * @param writers the threads that close sessions, and write to those without an
	 * asynchronous endpoint
	 * @param sendTimeLimit how long a write may take before the client counts as gone
	 * @return the writer
	 */
	static FrameWriter of(WebSocketSession session, Executor writers, Duration sendTimeLimit) {
		if (JAKARTA_PRESENT && session instanceof NativeWebSocketSession nativeSession) {
			FrameWriter writer = AsyncEndpoint.of(session, nativeSession, writers, sendTimeLimit);
			if (writer != null) {
				return writer;
			}
		}
		return new Pooled(session, writers);
	}

	private static void close(WebSocketSession session, Executor writers, CloseStatus status) {
		Runnable close = () -> {
			try {
				session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not close WebSocket session " + session.getId(), ex);
			}
		};
		try {
			writers.execute(close);
		}
		catch (RejectedExecutionException ex) {
			// The node is stopping and its writer threads with it.
			close.run();
		}
	}

	/**
	 * Writes through the asynchronous remote endpoint of the native session.
	 */
	private static final class AsyncEndpoint implements FrameWriter {

		/**
		 * Tomcat's session property: how long a blocking send (a close frame) may wait.
		 */
		private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

		private final WebSocketSession session;

		private final jakarta.websocket.RemoteEndpoint.Async remote;

		private final Executor writers;

		private AsyncEndpoint(WebSocketSession session, jakarta.websocket.RemoteEndpoint.Async remote,
				Executor writers) {
			this.session = session;
			this.remote = remote;
			this.writers = writers;
		}

		static @Nullable FrameWriter of(WebSocketSession session, NativeWebSocketSession nativeSession,
				Executor writers, Duration sendTimeLimit) {
			jakarta.websocket.Session jakarta = nativeSession.getNativeSession(jakarta.websocket.Session.class);
			if (jakarta == null) {
				return null;
			}
			jakarta.websocket.RemoteEndpoint.Async remote = jakarta.getAsyncRemote();
			// A write that the client does not take within the limit fails, and the
			// container closes the connection, even if no other frame comes for it.
			remote.setSendTimeout(sendTimeLimit.toMillis());
			jakarta.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, sendTimeLimit.toMillis());
			return new AsyncEndpoint(session, remote, writers);
		}

		@Override
		public void write(String frame, Consumer<@Nullable Throwable> done) {
			try {
				this.remote.sendText(frame, (result) -> done.accept(result.isOK() ? null : result.getException()));
			}
			catch (RuntimeException ex) {
				done.accept(ex);
			}
		}

		@Override
		public void close(CloseStatus status) {
			FrameWriters.close(this.session, this.writers, status);
		}

	}

	/**
	 * Writes with the session's blocking send, on the writer threads.
	 */
	private record Pooled(WebSocketSession session, Executor writers) implements FrameWriter {

		@Override
		public void write(String frame, Consumer<@Nullable Throwable> done) {
			try {
				this.writers.execute(() -> {
					try {
						this.session.sendMessage(new TextMessage(frame));
					}
					catch (IOException | RuntimeException ex) {
						done.accept(ex);
						return;
					}
					done.accept(null);
				});
			}
			catch (RejectedExecutionException ex) {
				done.accept(ex);
			}
		}

		@Override
		public void close(CloseStatus status) {
			FrameWriters.close(this.session, this.writers, status);
		}

	}

}
