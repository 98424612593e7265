package dev.cohort.connections.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frames waiting for one client: written one at a time, in order, and the client
 * closed without waiting when it falls too far behind.
 */
class ClientOutboxTests {

	private final AtomicLong now = new AtomicLong();

	private final RecordingWriter writer = new RecordingWriter();

	private final ClientOutbox outbox = new ClientOutbox(this.writer, 100, Duration.ofSeconds(10), this.now::get);

	@Test
	void writesOneFrameAtATimeInOrder() {
		this.outbox.send("a");
		this.outbox.send("b");
		this.outbox.send("c");
		assertThat(this.writer.written).containsExactly("a");
		this.writer.complete(null);
		assertThat(this.writer.written).containsExactly("a", "b");
		this.writer.complete(null);
		this.writer.complete(null);
		assertThat(this.writer.written).containsExactly("a", "b", "c");
		assertThat(this.outbox.waiting()).isZero();
		this.outbox.send("d");
		assertThat(this.writer.written).containsExactly("a", "b", "c", "d");
	}

	@Test
	void framesThatWaitGoOutTogetherOnePerLineUpToTheBatchLimitForAClientThatTakesThem() {
		ClientOutbox batching = new ClientOutbox(this.writer, 1_000, Duration.ofSeconds(10), this.now::get, () -> {
		}, 11);
		batching.send("a");
		batching.send("bb");
		batching.send("ccc");
		batching.send("dddd");
		batching.send("eeeeeeeeee"); // would make the batch too long: the next write
		assertThat(this.writer.written).containsExactly("a");
		this.writer.complete(null);
		assertThat(this.writer.written).containsExactly("a", "bb\nccc\ndddd");
		assertThat(batching.waiting()).isEqualTo(9 + 10);
		this.writer.complete(null);
		assertThat(this.writer.written).containsExactly("a", "bb\nccc\ndddd", "eeeeeeeeee");
		this.writer.complete(null);
		assertThat(batching.waiting()).isZero();
		batching.send("f"); // nothing waits: at once, alone
		assertThat(this.writer.written).last().isEqualTo("f");
	}

	@Test
	void withoutABatchLimitEveryFrameGoesOutOnItsOwn() {
		this.outbox.send("a");
		this.outbox.send("b");
		this.outbox.send("c");
		this.writer.complete(null);
		this.writer.complete(null);
		assertThat(this.writer.written).containsExactly("a", "b", "c");
	}

	@Test
	void writesThatCompleteOnTheCallersThreadGoOnWithoutRecursion() {
		this.writer.completeAtOnce = true;
		for (int i = 0; i < 10_000; i++) {
			this.outbox.send("frame " + i);
		}
		assertThat(this.writer.written).hasSize(10_000);
		assertThat(this.writer.maxDepth).isEqualTo(1);
	}

	@Test
	void aClientThatFallsTooManyCharactersBehindIsClosedAndItsFramesDropped() {
		this.outbox.send("x".repeat(500)); // the first frame goes whatever its size
		this.outbox.send("y".repeat(60));
		assertThat(this.writer.closed).isNull();
		this.outbox.send("z".repeat(60));
		assertThat(this.writer.closed).isEqualTo(ClientOutbox.TOO_SLOW);
		assertThat(this.outbox.waiting()).isZero();
		this.writer.complete(null);
		this.outbox.send("after");
		assertThat(this.writer.written).hasSize(1);
	}

	@Test
	void aClientWhoseOldestFrameWaitsTooLongIsClosed() {
		this.outbox.send("a");
		this.now.addAndGet(Duration.ofSeconds(9).toNanos());
		this.outbox.send("b");
		assertThat(this.writer.closed).isNull();
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		this.outbox.send("c");
		assertThat(this.writer.closed).isEqualTo(ClientOutbox.TOO_SLOW);
	}

	@Test
	void closeWaitsForTheFramesBeforeAndAFailedWriteClosesAtOnce() {
		this.outbox.send("bye");
		this.outbox.close("done");
		this.outbox.send("ignored");
		assertThat(this.writer.closed).isNull();
		this.writer.complete(null);
		assertThat(this.writer.closed).isEqualTo(CloseStatus.NORMAL.withReason("done"));
		assertThat(this.writer.written).containsExactly("bye");

		RecordingWriter failing = new RecordingWriter();
		ClientOutbox other = new ClientOutbox(failing, 100, Duration.ofSeconds(10), this.now::get);
		other.send("a");
		other.send("b");
		failing.complete(new IOException("broken pipe"));
		assertThat(failing.closed).isEqualTo(CloseStatus.SESSION_NOT_RELIABLE);
		assertThat(failing.written).containsExactly("a");
	}

	private static final class RecordingWriter implements FrameWriter {

		final List<String> written = new ArrayList<>();

		final List<Consumer<@Nullable Throwable>> pending = new ArrayList<>();

		boolean completeAtOnce;

		int depth;

		int maxDepth;

		@Nullable CloseStatus closed;

		@Override
		public void write(String frame, Consumer<@Nullable Throwable> done) {
			this.depth++;
			this.maxDepth = Math.max(this.maxDepth, this.depth);
			this.written.add(frame);
			if (this.completeAtOnce) {
				done.accept(null);
			}
			else {
				this.pending.add(done);
			}
			this.depth--;
		}

		void complete(@Nullable Throwable failure) {
			this.pending.remove(0).accept(failure);
		}

		@Override
		public void close(CloseStatus status) {
			this.closed = status;
		}

	}

}
