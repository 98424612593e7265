package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Writes an envelope's frame straight into bytes: the fields of an envelope are known, so
 * the JSON is written field by field with no generator to create and no buffer to borrow
 * for each message, which in a profile of RPC calls cost as much as the writing itself.
 * <p>
 * Strings are written as their UTF-8 bytes, with quote, backslash and control characters
 * escaped; every other byte, multi-byte UTF-8 sequences included, is valid inside a JSON
 * string as it is. The output is plain JSON that any reader of the format reads, as
 * {@link FrameReader} and Jackson in {@link EnvelopeCodec} do.
 */
final class FrameWriter {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private byte[] bytes;

	private int length;

	private FrameWriter(int capacity) {
		this.bytes = new byte[capacity];
	}

	/**
	 * The frame of an envelope: {@code v}, {@code id}, {@code type}, {@code from},
	 * {@code to}, {@code ts}, {@code nonce}, {@code body} and, if it is signed,
	 * {@code sig}, in that order, without white space.
	 * @param envelope the envelope
	 * @param version the format version
	 * @return the frame
	 */
	static byte[] write(Envelope envelope, int version) {
		return write(EnvelopeFields.of(envelope), envelope.signature(), version);
	}

	/**
	 * The frame of an envelope whose fields are already bytes.
	 * @param fields the fields
	 * @param signature the signature, or {@code null}
	 * @param version the format version
	 * @return the frame
	 */
	static byte[] write(EnvelopeFields fields, @Nullable String signature, int version) {
		// Room for the names, the signature and an escape in every eighth byte of the
		// body, so that a frame is most often written without growing.
		FrameWriter out = new FrameWriter(128 + fields.size() + fields.body.length / 8);
		out.ascii("{\"v\":").ascii(Integer.toString(version));
		out.ascii(",\"id\":").string(fields.id);
		out.ascii(",\"type\":").string(fields.type);
		out.ascii(",\"from\":").string(fields.origin);
		out.ascii(",\"to\":").string(fields.target);
		out.ascii(",\"ts\":").copy(fields.timestamp, 0, fields.timestamp.length);
		out.ascii(",\"nonce\":").string(fields.nonce);
		out.ascii(",\"body\":").string(fields.body);
		if (signature != null) {
			out.ascii(",\"sig\":").string(signature.getBytes(StandardCharsets.UTF_8));
		}
		out.ascii("}");
		return Arrays.copyOf(out.bytes, out.length);
	}

	private FrameWriter ascii(String text) {
		room(text.length());
		for (int i = 0; i < text.length(); i++) {
			this.bytes[this.length++] = (byte) text.charAt(i);
		}
		return this;
	}

	/**
	 * A string: its UTF-8 bytes, copied in runs between the bytes that need escaping.
	 */
	private void string(byte[] utf8) {
		room(utf8.length + 2);
		this.bytes[this.length++] = '"';
		int run = 0;
		for (int i = 0; i < utf8.length; i++) {
			byte b = utf8[i];
			if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
				copy(utf8, run, i);
				escape(b);
				run = i + 1;
			}
		}
		copy(utf8, run, utf8.length);
		room(1);
		this.bytes[this.length++] = '"';
	}

	private FrameWriter copy(byte[] source, int from, int to) {
		room(to - from);
		System.arraycopy(source, from, this.bytes, this.length, to - from);
		this.length += to - from;
		return this;
	}

	private void escape(byte b) {
		if (b == '"' || b == '\\') {
			room(2);
			this.bytes[this.length++] = '\\';
			this.bytes[this.length++] = b;
		}
		else {
			control(b);
		}
	}

	/** A control character, which JSON allows in a string only escaped. */
	private void control(byte b) {
		char shortForm = switch (b) {
			case '\n' -> 'n';
			case '\r' -> 'r';
			case '\t' -> 't';
			case '\b' -> 'b';
			case '\f' -> 'f';
			default -> 0;
		};
		if (shortForm != 0) {
			room(2);
			this.bytes[this.length++] = '\\';
			this.bytes[this.length++] = (byte) shortForm;
			return;
		}
		room(6);
		this.bytes[this.length++] = '\\';
		this.bytes[this.length++] = 'u';
		this.bytes[this.length++] = '0';
		this.bytes[this.length++] = '0';
		this.bytes[this.length++] = HEX[b >> 4];
		this.bytes[this.length++] = HEX[b & 0xf];
	}

	private void room(int more) {
		if (this.length + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
		}
	}

}
