package dev.cohort.connections.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * The frames on their way to one client. {@link #send} only queues a frame and never
 * blocks, whatever thread calls it (a Redis I/O thread, a handler thread delivering a
 * room's message to many members); a {@link FrameWriter} writes them one at a time, each
 * started when the one before is done. A client that falls too far behind (more than the
 * limit of characters waiting behind the frame being written, or a frame waiting too
 * long) is closed with {@link CloseStatus#SESSION_NOT_RELIABLE} and its frames dropped,
 * rather than let it hold memory or threads.
 */
final class ClientOutbox implements ClientChannel {

	/** How a client that reads too slowly is closed. */
	static final CloseStatus TOO_SLOW = CloseStatus.SESSION_NOT_RELIABLE.withReason("the client reads too slowly");

	private static final Log logger = LogFactory.getLog(ClientOutbox.class);

	private final FrameWriter writer;

	private final long maxWaiting;

	private final long maxAgeNanos;

	private final LongSupplier nanoTime;

	private final Runnable tooSlow;

	/** The frames not yet written, the one being written first; guarded by this. */
	private final Deque<Waiting> frames = new ArrayDeque<>();

	/** Characters in {@link #frames}; guarded by this. */
	private long waiting;

	/** Whether a frame is being written; guarded by this. */
	private boolean writing;

	/** Whether the outbox takes no more frames; guarded by this. */
	private boolean closing;

	/** How to close once the frames before are written; guarded by this. */
	private @Nullable CloseStatus closeWhenWritten;

	/**
	 * Creates an outbox.
	 * @param writer writes the frames
	 * @param maxWaiting how many characters of frames may wait behind the one being
	 * written; one frame is taken whatever its size
	 * @param maxAge how long a frame may wait to be written
	 */
	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge) {
		this(writer, maxWaiting, maxAge, System::nanoTime, () -> {
		});
	}

	/**
	 * Creates an outbox.
	 * @param writer writes the frames
	 * @param maxWaiting how many characters of frames may wait behind the one being
	 * written; one frame is taken whatever its size
	 * @param maxAge how long a frame may wait to be written
	 * @param tooSlow told when the client is closed for reading too slowly
	 */
	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, Runnable tooSlow) {
		this(writer, maxWaiting, maxAge, System::nanoTime, tooSlow);
	}

	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, LongSupplier nanoTime) {
		this(writer, maxWaiting, maxAge, nanoTime, () -> {
		});
	}

	private ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, LongSupplier nanoTime,
			Runnable tooSlow) {
		this.writer = writer;
		this.maxWaiting = maxWaiting;
		this.maxAgeNanos = maxAge.toNanos();
		this.nanoTime = nanoTime;
		this.tooSlow = tooSlow;
	}

	@Override
	public void send(String frame) {
		long now = this.nanoTime.getAsLong();
		boolean tooFarBehind;
		synchronized (this) {
			if (this.closing) {
				return;
			}
			Waiting oldest = this.frames.peek();
			// What waits behind the frame being written; one frame fits whatever its
			// size.
			long behind = this.waiting - ((this.writing && oldest != null) ? oldest.frame().length() : 0);
			tooFarBehind = oldest != null && ((behind > 0 && behind + frame.length() > this.maxWaiting)
					|| now - oldest.since() > this.maxAgeNanos);
			if (!tooFarBehind) {
				this.frames.add(new Waiting(frame, now));
				this.waiting += frame.length();
				if (this.writing) {
					return;
				}
				this.writing = true;
			}
			else {
				// Closed once, and told once, whatever other threads send meanwhile.
				this.closing = true;
				if (logger.isDebugEnabled()) {
					logger.debug("Closing a WebSocket connection that reads too slowly: " + this.frames.size()
							+ " frames (" + this.waiting + " characters) wait, the oldest for "
							+ Duration.ofNanos(now - oldest.since()).toMillis() + " ms");
				}
			}
		}
		if (tooFarBehind) {
			this.tooSlow.run();
			closeNow(TOO_SLOW);
		}
		else {
			writeWaiting();
		}
	}

	/**
	 * Closes the connection once the frames sent before are written.
	 * @param reason why
	 */
	@Override
	public void close(String reason) {
		closeWhenWritten(CloseStatus.NORMAL.withReason(reason));
	}

	/**
	 * Closes the connection once the frames sent before are written.
	 * @param status the close status
	 */
	void closeWhenWritten(CloseStatus status) {
		synchronized (this) {
			if (this.closing) {
				return;
			}
			this.closing = true;
			this.closeWhenWritten = status;
			if (this.writing) {
				return;
			}
			this.writing = true;
		}
		writeWaiting();
	}

	/**
	 * Drops the frames that wait and closes the connection now.
	 * @param status the close status
	 */
	void closeNow(CloseStatus status) {
		closed();
		this.writer.close(status);
	}

	/**
	 * The connection is closed: drops what waits, and takes nothing more.
	 */
	synchronized void closed() {
		this.closing = true;
		this.closeWhenWritten = null;
		this.frames.clear();
		this.waiting = 0;
	}

	/**
	 * Writes the frames that wait, one at a time. A write that completes on this thread
	 * lets the loop go on; one that completes later goes on from the thread that
	 * completes it, so the stack never grows with the number of frames.
	 */
	private void writeWaiting() {
		while (true) {
			Waiting next;
			CloseStatus close = null;
			synchronized (this) {
				next = this.frames.peek();
				if (next == null) {
					this.writing = false;
					close = this.closeWhenWritten;
					this.closeWhenWritten = null;
				}
			}
			if (next == null) {
				// Closed outside the lock, as the frames are written.
				if (close != null) {
					this.writer.close(close);
				}
				return;
			}
			String frame = next.frame();
			Write write = new Write();
			this.writer.write(frame, write);
			if (!write.returned()) {
				return;
			}
		}
	}

	/**
	 * A frame is written, or could not be.
	 * @param failure why it could not be, or {@code null}
	 * @return whether to write the next one
	 */
	private boolean written(@Nullable Throwable failure) {
		synchronized (this) {
			Waiting done = this.frames.poll();
			if (done != null) {
				this.waiting -= done.frame().length();
			}
			if (failure == null) {
				return true;
			}
		}
		logger.debug("Could not write to a WebSocket connection; closing it", failure);
		closeNow(CloseStatus.SESSION_NOT_RELIABLE);
		return true;
	}

	/**
	 * How many characters of frames wait, the one being written included.
	 * @return the characters
	 */
	synchronized long waiting() {
		return this.waiting;
	}

	private record Waiting(String frame, long since) {
	}

	/**
	 * The completion of one write, which may come before or after
	 * {@link FrameWriter#write} returns.
	 */
	private final class Write implements Consumer<@Nullable Throwable> {

		private boolean returned;

		private boolean done;

		private @Nullable Throwable failure;

		@Override
		public void accept(@Nullable Throwable failure) {
			synchronized (this) {
				this.done = true;
				this.failure = failure;
				if (!this.returned) {
					// On the writing thread, inside write(): its loop goes on.
					return;
				}
			}
			if (written(failure)) {
				writeWaiting();
			}
		}

		/**
		 * The writer returned.
		 * @return whether the write is done already, so that the caller goes on
		 */
		boolean returned() {
			Throwable failure;
			synchronized (this) {
				this.returned = true;
				if (!this.done) {
					return false;
				}
				failure = this.failure;
			}
			return written(failure);
		}

	}

}
