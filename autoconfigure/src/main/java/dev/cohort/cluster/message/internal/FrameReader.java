package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads the frames that {@link FrameWriter} writes, and only those, without a JSON
 * parser: the fields in the writer's order, no white space, ASCII text, and no escapes
 * but the short ones. Every node reads every frame it receives, and in a profile of RPC
 * calls creating a parser and filling a map of fields cost more than the reading.
 * <p>
 * Anything else (another order, white space, non-ASCII text, hexadecimal escapes, an
 * empty field, a number not in its plain form) gives {@code null}, and
 * {@link EnvelopeCodec} reads the frame with Jackson instead, which decides whether it is
 * well-formed. So this reader never refuses a frame and never accepts one that Jackson's
 * reading would refuse or read differently.
 */
final class FrameReader {

	private final byte[] frame;

	private int at;

	private FrameReader(byte[] frame) {
		this.frame = frame;
	}

	/**
	 * Reads a frame in the writer's exact form.
	 * @param frame the frame
	 * @param version the only format version read
	 * @return the envelope, or {@code null} if the frame is not in that form
	 */
	static @Nullable Envelope read(byte[] frame, int version) {
		return new FrameReader(frame).envelope(version);
	}

	private @Nullable Envelope envelope(int version) {
		if (!literal("{\"v\":") || number() != version) {
			return null;
		}
		String id = field(",\"id\":");
		String type = field(",\"type\":");
		String origin = field(",\"from\":");
		String target = field(",\"to\":");
		long timestamp = literal(",\"ts\":") ? number() : -1;
		String nonce = field(",\"nonce\":");
		String body = field(",\"body\":");
		String signature = null;
		if (literal(",\"sig\":")) {
			signature = string();
			if (signature == null) {
				return null;
			}
		}
		if (id == null || type == null || origin == null || target == null || timestamp < 0 || nonce == null
				|| body == null || !literal("}") || this.at != this.frame.length) {
			return null;
		}
		return new Envelope(id, type, origin, target, timestamp, nonce, body, signature);
	}

	private boolean literal(String text) {
		if (this.frame.length - this.at < text.length()) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (this.frame[this.at + i] != text.charAt(i)) {
				return false;
			}
		}
		this.at += text.length();
		return true;
	}

	/**
	 * A whole number of up to 18 digits, without a sign or leading zero; -1 otherwise.
	 */
	private long number() {
		int start = this.at;
		long value = 0;
		while (this.at < this.frame.length && this.frame[this.at] >= '0' && this.frame[this.at] <= '9') {
			value = value * 10 + (this.frame[this.at++] - '0');
		}
		int digits = this.at - start;
		boolean plain = digits > 0 && digits <= 18 && (digits == 1 || this.frame[start] != '0');
		return plain ? value : -1;
	}

	/** A string field, which must come next. */
	private @Nullable String field(String name) {
		return literal(name) ? string() : null;
	}

	/**
	 * A non-empty string of ASCII characters, with short escapes only.
	 */
	private @Nullable String string() {
		if (this.at >= this.frame.length || this.frame[this.at] != '"') {
			return null;
		}
		int start = ++this.at;
		byte[] unescaped = null;
		int length = 0;
		while (this.at < this.frame.length) {
			byte b = this.frame[this.at];
			if (b == '"') {
				this.at++;
				if (this.at - 1 == start) {
					return null;
				}
				return (unescaped != null) ? new String(unescaped, 0, length, StandardCharsets.ISO_8859_1)
						: new String(this.frame, start, this.at - 1 - start, StandardCharsets.ISO_8859_1);
			}
			if (b < 0x20) {
				// A control character, or (negative) a byte of a multi-byte character.
				return null;
			}
			if (b == '\\') {
				if (unescaped == null) {
					unescaped = new byte[this.frame.length - start];
					length = this.at - start;
					System.arraycopy(this.frame, start, unescaped, 0, length);
				}
				byte escaped = (this.at + 1 < this.frame.length) ? unescape(this.frame[this.at + 1]) : 0;
				if (escaped == 0) {
					return null;
				}
				unescaped[length++] = escaped;
				this.at += 2;
				continue;
			}
			if (unescaped != null) {
				unescaped[length++] = b;
			}
			this.at++;
		}
		return null;
	}

	/** The character a short escape stands for; 0 for any other. */
	private static byte unescape(byte escape) {
		return switch (escape) {
			case '"' -> '"';
			case '\\' -> '\\';
			case '/' -> '/';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			case 'b' -> '\b';
			case 'f' -> '\f';
			default -> 0;
		};
	}

}
