package dev.cohort.cluster.message;

import java.io.ByteArrayOutputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns envelopes into the JSON frames carried on the channel and back. It uses a mapper
 * of its own, so that the application's Jackson settings can never change the wire
 * format.
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
		ByteArrayOutputStream out = new ByteArrayOutputStream(160 + envelope.body().length());
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeNumberProperty("v", VERSION);
			json.writeStringProperty("id", envelope.id());
			json.writeStringProperty("type", envelope.type());
			json.writeStringProperty("from", envelope.origin());
			json.writeStringProperty("to", envelope.target());
			json.writeNumberProperty("ts", envelope.timestamp());
			json.writeStringProperty("nonce", envelope.nonce());
			json.writeStringProperty("body", envelope.body());
			if (envelope.signature() != null) {
				json.writeStringProperty("sig", envelope.signature());
			}
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * Decodes a frame.
	 * @param frame the frame
	 * @return the envelope; its signature is {@code null} when the frame has none
	 * @throws MalformedEnvelopeException if the frame is not a well-formed envelope
	 */
	public Envelope decode(byte[] frame) {
		JsonNode root;
		try {
			root = this.mapper.readTree(frame);
		}
		catch (JacksonException ex) {
			throw new MalformedEnvelopeException("not JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw new MalformedEnvelopeException("not a JSON object");
		}
		long version = number(root, "v");
		if (version != VERSION) {
			throw new MalformedEnvelopeException("unsupported version " + version);
		}
		JsonNode signature = root.get("sig");
		if (signature != null && !signature.isString()) {
			throw new MalformedEnvelopeException("field 'sig' is not a string");
		}
		return new Envelope(text(root, "id"), text(root, "type"), text(root, "from"), text(root, "to"),
				number(root, "ts"), text(root, "nonce"), text(root, "body"),
				(signature != null) ? signature.stringValue() : null);
	}

	private static String text(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || !node.isString() || node.stringValue().isEmpty()) {
			throw new MalformedEnvelopeException("field '" + field + "' is missing or not a string");
		}
		return node.stringValue();
	}

	private static long number(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
			throw new MalformedEnvelopeException("field '" + field + "' is missing or not a whole number");
		}
		return node.longValue();
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
