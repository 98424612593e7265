package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import dev.cohort.cluster.message.internal.EnvelopeCodec.MalformedEnvelopeException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The wire format of envelopes.
 */
class EnvelopeCodecTests {

	private static final String[] ASCII = { "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u007f",
			"{\"k\":1}" };

	private static final String[] ANY = { "a", "\"", "\\", "\n", "\u0001", "\u001f", "\u00e9", "\u20ac",
			"\ud83d\ude00" };

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

	@Test
	void framesAreJsonThatAnyReaderReadsAlike() {
		JsonMapper json = JsonMapper.builder().build();
		Random random = new Random(17);
		int readWithoutJackson = 0;
		for (int i = 0; i < 2000; i++) {
			Envelope envelope = randomEnvelope(random);
			byte[] frame = this.codec.encode(envelope);
			JsonNode tree = json.readTree(frame);
			assertThat(tree.get("v").asInt()).isEqualTo(1);
			assertThat(new Envelope(tree.get("id").asString(), tree.get("type").asString(), tree.get("from").asString(),
					tree.get("to").asString(), tree.get("ts").asLong(), tree.get("nonce").asString(),
					tree.get("body").asString(), tree.has("sig") ? tree.get("sig").asString() : null))
				.isEqualTo(envelope);
			assertThat(this.codec.decode(frame)).isEqualTo(envelope).isEqualTo(this.codec.parse(frame));
			readWithoutJackson += (FrameReader.read(frame, EnvelopeCodec.VERSION) != null) ? 1 : 0;
		}
		assertThat(readWithoutJackson).isBetween(500, 1500);
	}

	@Test
	void framesInAnotherFormAreReadByJackson() {
		Envelope expected = new Envelope("i", "t", "a\u00e9", "*", 12, "n", "{\"x\":\"\u20ac\"}", "s");
		String[] others = {
				"{ \"v\":1,\"id\":\"i\",\"type\":\"t\",\"from\":\"a\u00e9\",\"to\":\"*\",\"ts\":12,"
						+ "\"nonce\":\"n\",\"body\":\"{\\\"x\\\":\\\"\u20ac\\\"}\",\"sig\":\"s\"}",
				"{\"v\":1,\"type\":\"t\",\"id\":\"i\",\"from\":\"a\\u00e9\",\"to\":\"*\",\"ts\":12,"
						+ "\"nonce\":\"n\",\"body\":\"{\\\"x\\\":\\\"\\u20ac\\\"}\",\"sig\":\"s\"}" };
		for (String other : others) {
			assertThat(this.codec.decode(other.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
		}
	}

	@Test
	void framesThatOnlyLookLikeTheWrittenFormAreJudgedByJackson() {
		Envelope envelope = new Envelope("i", "t", "a", "*", 12, "n", "{}", "s");
		String frame = new String(this.codec.encode(envelope), StandardCharsets.UTF_8);
		assertMalformed(frame.replace("\"id\":\"i\"", "\"id\":\"\""), "'id'");
		assertMalformed(frame.replace("\"ts\":12", "\"ts\":012"), "not JSON");
		assertMalformed(frame.replace("\"sig\":\"s\"", "\"sig\":5"), "'sig'");
		assertMalformed(frame.replace("\"n\"", "\"\\x\""), "not JSON");
		assertThat(this.codec.decode(frame.replace("\"sig\":\"s\"", "\"sig\":\"\"").getBytes(StandardCharsets.UTF_8))
			.signature()).isEmpty();
	}

	/**
	 * An envelope of ASCII text, which {@link FrameReader} reads, or (half the time) with
	 * what it leaves to Jackson: text in several bytes or that needs hexadecimal escapes.
	 */
	private static Envelope randomEnvelope(Random random) {
		String[] pieces = random.nextBoolean() ? ASCII : ANY;
		return new Envelope(randomText(random, pieces), randomText(random, pieces), randomText(random, pieces),
				random.nextBoolean() ? "*" : randomText(random, pieces), random.nextLong(0, 1L << 45),
				randomText(random, pieces), randomText(random, pieces),
				random.nextBoolean() ? randomText(random, pieces) : null);
	}

	private static String randomText(Random random, String[] pieces) {
		StringBuilder text = new StringBuilder();
		int length = 1 + random.nextInt(12);
		for (int i = 0; i < length; i++) {
			text.append(pieces[random.nextInt(pieces.length)]);
		}
		return text.toString();
	}

	private void assertMalformed(String frame, String message) {
		assertThatExceptionOfType(MalformedEnvelopeException.class)
			.isThrownBy(() -> this.codec.decode(frame.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining(message);
	}

}
