package dev.cohort.tasks.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Gathers the ends of jobs into batches, one in flight at a time. The processor that
 * finds no batch in flight sends its own end at once, and does not wait for the answer;
 * the ends that come meanwhile wait, and go in one batch as soon as the answer is in. So
 * a lone job's end is sent by its own thread with no hand-over, and under load one store
 * call records the ends of many jobs.
 *
 * @param <T> what is recorded
 */
final class SettleBatches<T> {

	/** The most ends one store call records. */
	static final int MAX_BATCH = 512;

	private final Queue<T> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean recording = new AtomicBoolean();

	private final Function<List<T>, CompletionStage<?>> recorder;

	private final Executor next;

	/**
	 * Makes the batches of a recorder.
	 * @param recorder sends a batch; it must not throw, and its stage completes once the
	 * batch is recorded or failed
	 * @param next where the next batch is sent from once an answer is in: not the thread
	 * that answered, which may be one where nothing may wait (a Lettuce event loop)
	 */
	SettleBatches(Function<List<T>, CompletionStage<?>> recorder, Executor next) {
		this.recorder = recorder;
		this.next = next;
	}

	/**
	 * Records an end: sent now from this thread, or with the next batch.
	 * @param end the end
	 */
	void add(T end) {
		this.waiting.add(end);
		if (this.recording.compareAndSet(false, true)) {
			sendWaiting();
		}
	}

	/**
	 * Whether no end waits and no batch is in flight.
	 * @return whether all ends added were recorded
	 */
	boolean isIdle() {
		return !this.recording.get() && this.waiting.isEmpty();
	}

	private void sendWaiting() {
		while (true) {
			List<T> batch = new ArrayList<>();
			T end;
			while (batch.size() < MAX_BATCH && (end = this.waiting.poll()) != null) {
				batch.add(end);
			}
			if (batch.isEmpty()) {
				this.recording.set(false);
				// An end added after the last look found the flag still set, and left
				// itself to this thread.
				if (this.waiting.isEmpty() || !this.recording.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			CompletableFuture<?> sent = this.recorder.apply(batch).toCompletableFuture();
			if (!sent.isDone()) {
				sent.whenCompleteAsync((answer, ex) -> sendWaiting(), this.next);
				return;
			}
		}
	}

}
