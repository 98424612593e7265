package dev.cohort.tasks.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Gathers the ends of jobs into batches, with no thread of its own: the processor that
 * finds no batch being recorded records its own end, and the ends that came meanwhile,
 * until none is left; a processor that finds a batch being recorded leaves its end to
 * that one and goes on. So a lone job's end is recorded at once by its own thread, with
 * no hand-over, and under load one store call records the ends of many jobs.
 *
 * @param <T> what is recorded
 */
final class SettleBatches<T> {

	/** The most ends one store call records. */
	static final int MAX_BATCH = 512;

	private final Queue<T> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean recording = new AtomicBoolean();

	private final Consumer<List<T>> recorder;

	/**
	 * Makes the batches of a recorder.
	 * @param recorder records a batch; it must not throw
	 */
	SettleBatches(Consumer<List<T>> recorder) {
		this.recorder = recorder;
	}

	/**
	 * Records an end: now on this thread, with those that wait, or soon on the thread
	 * recording a batch.
	 * @param end the end
	 */
	void add(T end) {
		this.waiting.add(end);
		// The thread that stops recording looks again: an end added just after its last
		// look finds the flag still set, and would otherwise wait for the next job's end.
		while (!this.waiting.isEmpty() && this.recording.compareAndSet(false, true)) {
			try {
				recordWaiting();
			}
			finally {
				this.recording.set(false);
			}
		}
	}

	private void recordWaiting() {
		List<T> batch = new ArrayList<>();
		while (true) {
			T next;
			while (batch.size() < MAX_BATCH && (next = this.waiting.poll()) != null) {
				batch.add(next);
			}
			if (batch.isEmpty()) {
				return;
			}
			this.recorder.accept(batch);
			batch = new ArrayList<>();
		}
	}

}
