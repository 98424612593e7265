package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The signed fields of an envelope as bytes: UTF-8 text, and the timestamp's decimal
 * digits. Made once per message sent and used both to sign it ({@link MessageSigner}) and
 * to write its frame ({@link FrameWriter}): encoding the text twice was a tenth of what
 * an RPC call allocated.
 */
final class EnvelopeFields {

	final byte[] id;

	final byte[] type;

	final byte[] origin;

	final byte[] target;

	final byte[] timestamp;

	final byte[] nonce;

	final byte[] body;

	private EnvelopeFields(Envelope envelope) {
		this.id = utf8(envelope.id());
		this.type = utf8(envelope.type());
		this.origin = utf8(envelope.origin());
		this.target = utf8(envelope.target());
		this.timestamp = digits(envelope.timestamp());
		this.nonce = utf8(envelope.nonce());
		this.body = utf8(envelope.body());
	}

	static EnvelopeFields of(Envelope envelope) {
		return new EnvelopeFields(envelope);
	}

	/**
	 * The fields in the order they are signed and written.
	 * @return the fields
	 */
	byte[][] inOrder() {
		return new byte[][] { this.id, this.type, this.origin, this.target, this.timestamp, this.nonce, this.body };
	}

	/**
	 * How many bytes the fields hold together.
	 * @return the size
	 */
	int size() {
		return this.id.length + this.type.length + this.origin.length + this.target.length + this.timestamp.length
				+ this.nonce.length + this.body.length;
	}

	/**
	 * A timestamp's decimal digits, as {@code Long.toString} spells them, in ASCII: made
	 * here without a string, since {@code Long.toString} showed in a profile.
	 */
	static byte[] digits(long value) {
		if (value < 0) {
			return utf8(Long.toString(value));
		}
		byte[] buffer = new byte[19];
		int start = buffer.length;
		long rest = value;
		do {
			buffer[--start] = (byte) ('0' + (rest % 10));
			rest /= 10;
		}
		while (rest != 0);
		return Arrays.copyOfRange(buffer, start, buffer.length);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
