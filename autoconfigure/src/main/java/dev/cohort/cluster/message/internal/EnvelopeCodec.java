package dev.cohort.cluster.message.internal;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns envelopes into the JSON frames carried on the channel and back. Frames are
 * written by {@link FrameWriter}; they are read by {@link FrameReader} when they are in
 * the form it writes, and otherwise by a Jackson mapper of the codec's own, so that the
 * application's Jackson settings can never change the wire format.
 * <p>
 * A frame is a JSON object: {@code v} (format version), {@code id}, {@code type},
 * {@code from}, {@code to}, {@code ts}, {@code nonce}, {@code body} (the payload as JSON
 * text) and {@code sig}.
 */
public final class EnvelopeCodec {

	static final int VERSION = 1;

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Encodes an envelope.
	 * @param envelope the envelope
	 * @return the frame
	 */
	public byte[] encode(Envelope envelope) {
		return FrameWriter.write(envelope, VERSION);
	}

	/**
	 * Encodes an envelope whose fields are already bytes.
	 * @param fields the fields
	 * @param signature the signature
	 * @return the frame
	 */
	byte[] encode(EnvelopeFields fields, String signature) {
		return FrameWriter.write(fields, signature, VERSION);
	}

	/**
	 * Decodes a frame. A frame as this codec writes it is read by {@link FrameReader};
	 * any other is read by Jackson as a stream, which decides whether it is well-formed.
	 * @param frame the frame
	 * @return the envelope; its signature is {@code null} when the frame has none
	 * @throws MalformedEnvelopeException if the frame is not a well-formed envelope
	 */
	public Envelope decode(byte[] frame) {
		Envelope envelope = FrameReader.read(frame, VERSION);
		return (envelope != null) ? envelope : parse(frame);
	}

	/**
	 * Decodes a frame with Jackson only, whatever its form.
	 */
	Envelope parse(byte[] frame) {
		Fields fields = new Fields();
		try (JsonParser json = this.mapper.createParser(frame)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				throw new MalformedEnvelopeException("not a JSON object");
			}
			String name;
			while ((name = json.nextName()) != null) {
				fields.read(name, json.nextToken(), json);
			}
		}
		catch (JacksonException ex) {
			throw new MalformedEnvelopeException("not JSON: " + ex.getOriginalMessage());
		}
		return fields.envelope();
	}

	/**
	 * The fields of a frame as they are read.
	 */
	private static final class Fields {

		private @Nullable Long version;

		private @Nullable Long timestamp;

		private final Map<String, String> texts = new HashMap<>();

		private boolean signatureNotText;

		void read(String name, JsonToken token, JsonParser json) {
			switch (name) {
				case "v" -> this.version = (token == JsonToken.VALUE_NUMBER_INT) ? json.getLongValue() : null;
				case "ts" -> this.timestamp = (token == JsonToken.VALUE_NUMBER_INT) ? json.getLongValue() : null;
				default -> {
					if (token == JsonToken.VALUE_STRING) {
						this.texts.put(name, json.getString());
					}
					else {
						this.texts.remove(name);
						this.signatureNotText |= name.equals("sig");
						json.skipChildren();
					}
				}
			}
		}

		Envelope envelope() {
			if (this.version == null) {
				throw new MalformedEnvelopeException("field 'v' is missing or not a whole number");
			}
			if (this.version != VERSION) {
				throw new MalformedEnvelopeException("unsupported version " + this.version);
			}
			if (this.signatureNotText) {
				throw new MalformedEnvelopeException("field 'sig' is not a string");
			}
			if (this.timestamp == null) {
				throw new MalformedEnvelopeException("field 'ts' is missing or not a whole number");
			}
			return new Envelope(text("id"), text("type"), text("from"), text("to"), this.timestamp, text("nonce"),
					text("body"), this.texts.get("sig"));
		}

		private String text(String field) {
			String value = this.texts.get(field);
			if (value == null || value.isEmpty()) {
				throw new MalformedEnvelopeException("field '" + field + "' is missing or not a string");
			}
			return value;
		}

	}

	/**
	 * Thrown when a frame is not a well-formed envelope.
	 */
	public static final class MalformedEnvelopeException extends RuntimeException {

		MalformedEnvelopeException(String message) {
			super(message, null, false, false);
		}

	}

}
