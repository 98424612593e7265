package dev.cohort.cluster.message.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.message.MessageTransport;
import dev.cohort.internal.BoundedPools;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Sends and receives signed envelopes over a {@link MessageTransport} and hands each
 * accepted one to the handlers of its type. Every capability that talks between nodes
 * (pub/sub, membership announcements, RPC) goes through here, so that signing and
 * checking happen in one place.
 * <p>
 * Frames are checked on the thread the transport delivers them on (a Redis I/O thread:
 * checking is cheap and never blocks), so that refused frames cost nothing more. Accepted
 * application messages are handed to a bounded pool of handler threads; when its queue is
 * full the message is dropped and counted rather than queued without limit. Cohort's own
 * types ({@link #INTERNAL_PREFIX}) have handlers that never block and run on the
 * receiving thread. A handler that throws is logged and counted; the other handlers still
 * run.
 */
public class ClusterBus implements SmartLifecycle {

	/** Prefix of Cohort's own message types, which applications may not use. */
	public static final String INTERNAL_PREFIX = "cohort.";

	/**
	 * Lifecycle phase: before membership, which announces itself through the bus, and
	 * after the clock has learned the server's time
	 * ({@link dev.cohort.cluster.internal.ClusterClockSync}).
	 */
	public static final int PHASE = Integer.MAX_VALUE - 2000;

	private static final Log logger = LogFactory.getLog(ClusterBus.class);

	private static final RateLimitedLog rateLimitedLog = new RateLimitedLog(logger, 10_000);

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder nonceEncoder = Base64.getUrlEncoder().withoutPadding();

	private final String nodeId;

	private final MessageTransport transport;

	private final EnvelopeCodec codec;

	private final MessageSigner signer;

	private final EnvelopeVerifier verifier;

	private final ClusterClock clock;

	private final ClusterMetrics metrics;

	private final boolean receiveOwnBroadcasts;

	private final int handlerThreads;

	private final int queueCapacity;

	private volatile @Nullable ThreadPoolExecutor handlerExecutor;

	/** The random part of this bus's nonces, drawn once. */
	private final String noncePrefix = newNoncePrefix();

	/** The counted part of this bus's nonces. */
	private final AtomicLong nonces = new AtomicLong();

	private final Map<String, List<Consumer<Envelope>>> handlers = new ConcurrentHashMap<>();

	private final Map<String, List<Consumer<Envelope>>> inlineHandlers = new ConcurrentHashMap<>();

	private volatile boolean running;

	/**
	 * Creates a bus.
	 * @param nodeId this node's id
	 * @param transport carries the frames
	 * @param codec encodes envelopes
	 * @param signer signs what this node sends
	 * @param verifier checks what this node receives
	 * @param clock stamps what this node sends
	 * @param metrics counts messages
	 * @param receiveOwnBroadcasts whether this node's handlers see its own broadcasts
	 * @param handlerThreads how many threads run handlers
	 * @param queueCapacity how many accepted messages may wait for a handler thread
	 */
	public ClusterBus(String nodeId, MessageTransport transport, EnvelopeCodec codec, MessageSigner signer,
			EnvelopeVerifier verifier, ClusterClock clock, ClusterMetrics metrics, boolean receiveOwnBroadcasts,
			int handlerThreads, int queueCapacity) {
		Assert.isTrue(handlerThreads > 0, "'handlerThreads' must be positive");
		Assert.isTrue(queueCapacity > 0, "'queueCapacity' must be positive");
		this.nodeId = nodeId;
		this.transport = transport;
		this.codec = codec;
		this.signer = signer;
		this.verifier = verifier;
		this.clock = clock;
		this.metrics = metrics;
		this.receiveOwnBroadcasts = receiveOwnBroadcasts;
		this.handlerThreads = handlerThreads;
		this.queueCapacity = queueCapacity;
	}

	/**
	 * This node's id, the origin of everything it sends.
	 * @return the node id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Signs and sends a message. A message to this node itself does not go through Redis:
	 * it is handed to this node's handlers at once (those that may block on a handler
	 * thread, the others on the caller's thread), which spares a round trip, and reaches
	 * this node while Redis cannot be reached.
	 * @param type the message type
	 * @param target {@link Envelope#ALL} or a node id
	 * @param body the payload as JSON text
	 * @throws IllegalArgumentException if the message is larger than the nodes accept
	 */
	public void send(String type, String target, String body) {
		Envelope envelope = envelope(type, target, body);
		byte[] frame = frame(envelope);
		if (!deliveredHere(envelope)) {
			this.transport.send(target, frame);
		}
		this.metrics.messageSent(type);
	}

	/**
	 * Signs and sends a message without waiting for Redis to accept it; one to this node
	 * itself is handled as {@link #send} does, and the future is complete on return.
	 * @param type the message type
	 * @param target {@link Envelope#ALL} or a node id
	 * @param body the payload as JSON text
	 * @return completes when the transport has accepted the message, or exceptionally
	 * @throws IllegalArgumentException if the message is larger than the nodes accept
	 */
	public CompletableFuture<Void> sendAsync(String type, String target, String body) {
		Envelope envelope = envelope(type, target, body);
		byte[] frame = frame(envelope);
		CompletableFuture<Void> sent = deliveredHere(envelope) ? CompletableFuture.completedFuture(null)
				: this.transport.sendAsync(target, frame);
		this.metrics.messageSent(type);
		return sent;
	}

	private Envelope envelope(String type, String target, String body) {
		Assert.hasText(type, "'type' must not be empty");
		Assert.hasText(target, "'target' must not be empty");
		Assert.notNull(body, "'body' must not be null");
		return new Envelope(newId(), type, this.nodeId, target, this.clock.millis(), newNonce(), body, null);
	}

	/**
	 * The signed frame of a message, refused if larger than the nodes accept (a message
	 * to this node itself too, so that the limit is the same whatever the target).
	 */
	private byte[] frame(Envelope envelope) {
		EnvelopeFields fields = EnvelopeFields.of(envelope);
		byte[] frame = this.codec.encode(fields, this.signer.signature(fields));
		if (frame.length > this.verifier.maxSizeBytes()) {
			throw new IllegalArgumentException(
					"Message of type '" + envelope.type() + "' is " + frame.length + " bytes, more than the "
							+ this.verifier.maxSizeBytes() + " that every node accepts (cluster.messages.max-size)");
		}
		return frame;
	}

	/**
	 * Hands a message to this node itself to its handlers, if it is addressed to this
	 * node: it never left the process, so it is not read back and checked as a frame from
	 * Redis is.
	 * @return whether the message was for this node
	 */
	private boolean deliveredHere(Envelope envelope) {
		if (!this.nodeId.equals(envelope.target())) {
			return false;
		}
		accept(envelope);
		return true;
	}

	/**
	 * Adds a handler for a message type.
	 * @param type the message type
	 * @param handler the handler
	 * @return a handle that removes the handler again
	 */
	public Registration subscribe(String type, Consumer<Envelope> handler) {
		return add(this.handlers, type, handler);
	}

	/**
	 * Adds a handler that runs on the thread that received the message, possibly a Redis
	 * I/O thread, and so must never block: it may only record, complete or hand over
	 * work. A full handler queue cannot delay it.
	 * @param type the message type
	 * @param handler the handler
	 * @return a handle that removes the handler again
	 */
	public Registration subscribeInline(String type, Consumer<Envelope> handler) {
		return add(this.inlineHandlers, type, handler);
	}

	private static Registration add(Map<String, List<Consumer<Envelope>>> handlers, String type,
			Consumer<Envelope> handler) {
		Assert.hasText(type, "'type' must not be empty");
		Assert.notNull(handler, "'handler' must not be null");
		handlers.computeIfAbsent(type, (key) -> new CopyOnWriteArrayList<>()).add(handler);
		return () -> handlers.computeIfPresent(type, (key, list) -> {
			list.remove(handler);
			return list.isEmpty() ? null : list;
		});
	}

	/**
	 * Receives one frame from the transport. Never blocks and never throws: nothing a
	 * frame holds can stop the listener.
	 * @param frame the frame
	 */
	void receive(byte[] frame) {
		Envelope envelope;
		try {
			envelope = this.verifier.open(frame, this::isForThisNode);
		}
		catch (RuntimeException ex) {
			failedToProcess(ex);
			return;
		}
		if (envelope != null) {
			accept(envelope);
		}
	}

	/**
	 * Hands an accepted message to its handlers: the inline ones on this thread, the
	 * others to the handler threads. Never throws.
	 */
	private void accept(Envelope envelope) {
		try {
			this.metrics.messageAccepted(envelope.type());
			List<Consumer<Envelope>> inline = this.inlineHandlers.get(envelope.type());
			if (inline != null) {
				run(inline, envelope);
			}
			ThreadPoolExecutor executor = this.handlerExecutor;
			if (executor != null && this.handlers.containsKey(envelope.type())) {
				hand(executor, envelope);
			}
		}
		catch (RuntimeException ex) {
			failedToProcess(ex);
		}
	}

	private static void failedToProcess(RuntimeException ex) {
		rateLimitedLog.warn("failed", "Failed to process a cluster message: " + RemoteText.detail(ex));
		logger.debug("Failed to process a cluster message", ex);
	}

	private void hand(ThreadPoolExecutor executor, Envelope envelope) {
		try {
			executor.execute(() -> {
				List<Consumer<Envelope>> pooled = this.handlers.get(envelope.type());
				if (pooled != null) {
					run(pooled, envelope);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.metrics.messageDropped(envelope.type());
			rateLimitedLog.warn("dropped", "Dropped a message of type '" + envelope.type()
					+ "': all handler threads are busy and the queue is full (cluster.pubsub.queue-capacity)");
		}
	}

	private boolean isForThisNode(Envelope envelope) {
		if (envelope.isBroadcast()) {
			return this.receiveOwnBroadcasts || !this.nodeId.equals(envelope.origin());
		}
		return this.nodeId.equals(envelope.target());
	}

	private void run(List<Consumer<Envelope>> typeHandlers, Envelope envelope) {
		for (Consumer<Envelope> handler : typeHandlers) {
			try {
				handler.accept(envelope);
			}
			catch (Throwable ex) {
				this.metrics.handlerFailed(envelope.type());
				handlerFailed(envelope, ex);
				if (ex instanceof VirtualMachineError error) {
					throw error;
				}
			}
		}
	}

	/**
	 * Logs a handler's failure: one line per message type every few seconds, since a
	 * handler that fails on every message of a flood would flood the log; each failure
	 * with its stack trace at DEBUG.
	 */
	private static void handlerFailed(Envelope envelope, Throwable ex) {
		String failure = "Handler of cluster message type '" + RemoteText.name(envelope.type()) + "' failed on message "
				+ RemoteText.name(envelope.id()) + " from node '" + RemoteText.name(envelope.origin()) + "'";
		rateLimitedLog.warn("handler:" + envelope.type(), failure + ": " + RemoteText.detail(ex));
		logger.debug(failure, ex);
	}

	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

	/**
	 * A nonce no message of any node has had: this bus's random prefix, a dot and the
	 * next value of its counter in base 36, the form {@link ReplayGuard} remembers as
	 * bits. Uniqueness is all the replay check needs (the signature covers the nonce, so
	 * knowing the next one lets nobody forge a message); drawing 16 bytes from
	 * {@code SecureRandom} for every message took a lock and a read of the system's
	 * source, 4% of the CPU of an RPC call in a profile.
	 */
	private String newNonce() {
		return this.noncePrefix + "." + Long.toString(this.nonces.incrementAndGet(), 36);
	}

	/** 12 bytes from {@code SecureRandom}, base64url: 16 characters. */
	private static String newNoncePrefix() {
		byte[] prefix = new byte[12];
		random.nextBytes(prefix);
		return nonceEncoder.encodeToString(prefix);
	}

	@Override
	public void start() {
		this.handlerExecutor = BoundedPools.create("cohort-handler-", this.handlerThreads, this.queueCapacity);
		this.verifier.started();
		this.transport.start(this.nodeId, this::receive);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.transport.stop();
		ThreadPoolExecutor executor = this.handlerExecutor;
		this.handlerExecutor = null;
		BoundedPools.shutdown(executor);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * A handler's registration.
	 */
	@FunctionalInterface
	public interface Registration {

		/**
		 * Removes the handler. Calling it again does nothing.
		 */
		void cancel();

	}

}
