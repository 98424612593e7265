package dev.cohort.connections.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
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
 * <p>
 * For a client that takes several frames in one WebSocket message, one per line (it asked
 * for it, see {@link ClusterWebSocketHandler#BATCH_PARAMETER}), the frames that wait when
 * a write starts go out together, up to a batch limit of characters: each write costs the
 * container a system call and a hand-off between threads whatever its size, so a client
 * that falls behind in a busy room catches up with fewer writes. A frame never waits for
 * a batch: one that finds nothing being written goes out at once, alone.
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

	/**
	 * The most characters one write takes when several frames wait, 0 to write each frame
	 * on its own.
	 */
	private final int batchLimit;

	/** How many frames the write under way carries; guarded by this. */
	private int inFlight;

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
		}, 0);
	}

	/**
	 * Creates an outbox.
	 * @param writer writes the frames
	 * @param maxWaiting how many characters of frames may wait behind the one being
	 * written; one frame is taken whatever its size
	 * @param maxAge how long a frame may wait to be written
	 * @param tooSlow told when the client is closed for reading too slowly
	 * @param batchLimit the most characters one write takes when several frames wait,
	 * joined by line breaks; 0 to write each frame on its own
	 */
	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, Runnable tooSlow, int batchLimit) {
		this(writer, maxWaiting, maxAge, System::nanoTime, tooSlow, batchLimit);
	}

	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, LongSupplier nanoTime) {
		this(writer, maxWaiting, maxAge, nanoTime, () -> {
		}, 0);
	}

	ClientOutbox(FrameWriter writer, long maxWaiting, Duration maxAge, LongSupplier nanoTime, Runnable tooSlow,
			int batchLimit) {
		this.writer = writer;
		this.maxWaiting = maxWaiting;
		this.maxAgeNanos = maxAge.toNanos();
		this.nanoTime = nanoTime;
		this.tooSlow = tooSlow;
		this.batchLimit = batchLimit;
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
		this.inFlight = 0;
	}

	/**
	 * Writes the frames that wait, one at a time. A write that completes on this thread
	 * lets the loop go on; one that completes later goes on from the thread that
	 * completes it, so the stack never grows with the number of frames.
	 */
	private void writeWaiting() {
		while (true) {
			String next;
			CloseStatus close = null;
			synchronized (this) {
				next = nextWrite();
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
			Write write = new Write();
			this.writer.write(next, write);
			if (!write.returned()) {
				return;
			}
		}
	}

	/**
	 * What the next write carries: the oldest frame, and the frames behind it while they
	 * fit in the batch limit, one per line. Called with the lock held.
	 * @return the text to write, or {@code null} if no frame waits
	 */
	private @Nullable String nextWrite() {
		Iterator<Waiting> waiting = this.frames.iterator();
		if (!waiting.hasNext()) {
			this.inFlight = 0;
			return null;
		}
		String first = waiting.next().frame();
		this.inFlight = 1;
		StringBuilder batch = null;
		while (this.batchLimit > 0 && waiting.hasNext()) {
			String frame = waiting.next().frame();
			int length = ((batch != null) ? batch.length() : first.length()) + 1 + frame.length();
			if (length > this.batchLimit) {
				break;
			}
			if (batch == null) {
				batch = new StringBuilder((int) Math.min(this.batchLimit, this.waiting)).append(first);
			}
			batch.append('\n').append(frame);
			this.inFlight++;
		}
		return (batch != null) ? batch.toString() : first;
	}

	/**
	 * A frame is written, or could not be.
	 * @param failure why it could not be, or {@code null}
	 * @return whether to write the next one
	 */
	private boolean written(@Nullable Throwable failure) {
		synchronized (this) {
			for (int i = 0; i < Math.max(1, this.inFlight); i++) {
				Waiting done = this.frames.poll();
				if (done != null) {
					this.waiting -= done.frame().length();
				}
			}
			this.inFlight = 0;
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
