package dev.cohort.cluster.local;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.RateLimitedLog;
import dev.cohort.cluster.message.MessageTransport;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Carries frames inside one JVM, for a solitary node. Frames are delivered on a bounded
 * pool of its own, as Redis would deliver them: asynchronously and off the sender's
 * thread. When the pool's queue is full the frame is dropped and counted, as a node that
 * cannot keep up with Redis pub/sub would lose it.
 */
public class LocalMessageTransport implements MessageTransport {

	private static final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(LocalMessageTransport.class),
			10_000);

	private final int threads;

	private final int queueCapacity;

	private final ClusterMetrics metrics;

	private volatile @Nullable Consumer<byte[]> receiver;

	private volatile @Nullable ThreadPoolExecutor executor;

	/**
	 * Creates a transport.
	 * @param threads how many threads deliver frames
	 * @param queueCapacity how many frames may wait for a thread
	 * @param metrics counts dropped frames
	 */
	public LocalMessageTransport(int threads, int queueCapacity, ClusterMetrics metrics) {
		this.threads = threads;
		this.queueCapacity = queueCapacity;
		this.metrics = metrics;
	}

	@Override
	public synchronized void start(Consumer<byte[]> receiver) {
		if (this.executor == null) {
			this.executor = new ThreadPoolExecutor(this.threads, this.threads, 0, TimeUnit.MILLISECONDS,
					new ArrayBlockingQueue<>(this.queueCapacity), new CustomizableThreadFactory("cohort-local-"));
		}
		this.receiver = receiver;
	}

	@Override
	public void send(byte[] frame) {
		ThreadPoolExecutor executor = this.executor;
		Consumer<byte[]> receiver = this.receiver;
		if (executor == null || receiver == null) {
			return;
		}
		try {
			executor.execute(() -> receiver.accept(frame));
		}
		catch (RejectedExecutionException ex) {
			this.metrics.messageDropped("*");
			log.warn("dropped", "Dropped a cluster message: the local delivery queue is full");
		}
	}

	@Override
	public synchronized void stop() {
		ThreadPoolExecutor executor = this.executor;
		this.receiver = null;
		this.executor = null;
		if (executor != null) {
			executor.shutdown();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
