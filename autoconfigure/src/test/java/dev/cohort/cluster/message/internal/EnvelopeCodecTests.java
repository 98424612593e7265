package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;

import dev.cohort.cluster.message.internal.EnvelopeCodec.MalformedEnvelopeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The wire format of envelopes.
 */
class EnvelopeCodecTests {

	private final EnvelopeCodec codec = new EnvelopeCodec();

	@Test
	void roundTripsEveryField() {
		Envelope envelope = new Envelope("id", "type", "node-\u00e9", "*", 1234567890123L, "nonce",
				"{\"text\":\"quote \\\" and newline \\n\"}", "sig");
		assertThat(this.codec.decode(this.codec.encode(envelope))).isEqualTo(envelope);
	}

	@Test
	void signatureIsOptional() {
		Envelope envelope = new Envelope("id", "type", "a", "b", 1, "n", "{}", null);
		assertThat(this.codec.decode(this.codec.encode(envelope)).signature()).isNull();
	}

	@Test
	void refusesWhatIsNotAnEnvelope() {
		assertMalformed("not json", "not JSON");
		assertMalformed("[1,2]", "not a JSON object");
		assertMalformed("{\"v\":2,\"id\":\"i\"}", "unsupported version");
		assertMalformed("{\"v\":1,\"id\":\"i\",\"type\":\"t\",\"from\":\"a\",\"to\":\"*\",\"ts\":\"soon\","
				+ "\"nonce\":\"n\",\"body\":\"{}\"}", "'ts'");
		assertMalformed("{\"v\":1,\"id\":\"i\",\"type\":7,\"from\":\"a\",\"to\":\"*\",\"ts\":1,"
				+ "\"nonce\":\"n\",\"body\":\"{}\"}", "'type'");
		assertMalformed("{\"v\":1,\"id\":\"i\",\"type\":\"t\",\"from\":\"a\",\"to\":\"*\",\"ts\":1,"
				+ "\"nonce\":\"n\",\"body\":\"{}\",\"sig\":5}", "'sig'");
	}

	private void assertMalformed(String frame, String message) {
		assertThatExceptionOfType(MalformedEnvelopeException.class)
			.isThrownBy(() -> this.codec.decode(frame.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining(message);
	}

}
