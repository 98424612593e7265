package dev.cohort.cluster.local;

import java.util.function.Consumer;

import dev.cohort.cluster.message.MessageTransport;
import org.jspecify.annotations.Nullable;

/**
 * Carries frames inside one JVM, for a solitary node: a frame sent is received at once on
 * the sender's thread, where it is checked like any other; its handlers then run on the
 * bus's handler threads, as they would with Redis.
 */
public class LocalMessageTransport implements MessageTransport {

	private volatile @Nullable Consumer<byte[]> receiver;

	@Override
	public void start(String nodeId, Consumer<byte[]> receiver) {
		this.receiver = receiver;
	}

	@Override
	public void send(String target, byte[] frame) {
		Consumer<byte[]> receiver = this.receiver;
		if (receiver != null) {
			receiver.accept(frame);
		}
	}

	@Override
	public void stop() {
		this.receiver = null;
	}

}
