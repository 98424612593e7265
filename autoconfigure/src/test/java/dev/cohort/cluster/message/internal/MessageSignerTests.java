package dev.cohort.cluster.message.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing, verification and token rotation.
 */
class MessageSignerTests {

	private static final String OLD = "old-token-0123456789abcdef0123456789abcdef";

	private static final String NEW = "new-token-0123456789abcdef0123456789abcdef";

	private static final String OTHER = "other-token-0123456789abcdef0123456789abcd";

	private final Envelope envelope = new Envelope("id", "type", "node-a", "*", 1000, "nonce", "{\"a\":1}", null);

	@Test
	void signatureVerifiesWithTheSameToken() {
		MessageSigner signer = new MessageSigner(NEW, List.of());
		assertThat(signer.verify(signer.sign(this.envelope))).isTrue();
	}

	@Test
	void unsignedAndGarbledSignaturesDoNotVerify() {
		MessageSigner signer = new MessageSigner(NEW, List.of());
		assertThat(signer.verify(this.envelope)).isFalse();
		assertThat(signer.verify(this.envelope.withSignature("%%% not base64"))).isFalse();
		assertThat(signer.verify(this.envelope.withSignature("AAAA"))).isFalse();
	}

	@Test
	void anotherEncodingOfAValidSignatureIsRefused() {
		MessageSigner signer = new MessageSigner(NEW, List.of());
		Envelope signed = signer.sign(this.envelope);
		String signature = signed.signature();
		assertThat(signature).hasSize(43);
		String lowBitFlipped = flipLowBitOfLastCharacter(signature);
		assertThat(Base64.getUrlDecoder().decode(lowBitFlipped)).as("decodes to the same bytes")
			.isEqualTo(Base64.getUrlDecoder().decode(signature));
		assertThat(signer.verify(signed.withSignature(lowBitFlipped))).isFalse();
		assertThat(signer.verify(signed.withSignature(signature + "="))).isFalse();
		assertThat(signer.verify(signed.withSignature(signature.substring(0, 42)))).isFalse();
		assertThat(signer.verify(signed)).isTrue();
	}

	/**
	 * The last of 43 base64 characters carries 4 bits of the signature and 2 unused bits:
	 * flipping the lowest gives another text for the same bytes.
	 * @param signature a signature
	 * @return the same bytes, encoded differently
	 */
	static String flipLowBitOfLastCharacter(String signature) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		char last = signature.charAt(signature.length() - 1);
		return signature.substring(0, signature.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
	}

	@Test
	void everySignedFieldIsCovered() {
		MessageSigner signer = new MessageSigner(NEW, List.of());
		String signature = signer.sign(this.envelope).signature();
		List<Envelope> changed = List.of(
				new Envelope("id2", "type", "node-a", "*", 1000, "nonce", "{\"a\":1}", signature),
				new Envelope("id", "type2", "node-a", "*", 1000, "nonce", "{\"a\":1}", signature),
				new Envelope("id", "type", "node-b", "*", 1000, "nonce", "{\"a\":1}", signature),
				new Envelope("id", "type", "node-a", "node-b", 1000, "nonce", "{\"a\":1}", signature),
				new Envelope("id", "type", "node-a", "*", 1001, "nonce", "{\"a\":1}", signature),
				new Envelope("id", "type", "node-a", "*", 1000, "nonce2", "{\"a\":1}", signature),
				new Envelope("id", "type", "node-a", "*", 1000, "nonce", "{\"a\":2}", signature));
		assertThat(changed).noneMatch(signer::verify);
	}

	@Test
	void fieldBoundariesMatter() {
		MessageSigner signer = new MessageSigner(NEW, List.of());
		Envelope a = signer.sign(new Envelope("ab", "c", "n", "*", 1, "x", "{}", null));
		Envelope shifted = new Envelope("a", "bc", "n", "*", 1, "x", "{}", a.signature());
		assertThat(signer.verify(shifted)).isFalse();
	}

	@Test
	void signatureOfAKnownEnvelopeNeverChanges() {
		// Pinned: nodes of different versions, side by side in a rolling upgrade, must
		// sign alike. The value was computed by the signer of 3391f18.
		MessageSigner signer = new MessageSigner(NEW, List.of());
		Envelope envelope = new Envelope("id", "type", "node-\u00e9", "*", 1000, "nonce", "{\"a\":\"\u20ac\"}", null);
		assertThat(signer.sign(envelope).signature()).isEqualTo("RBmZjp1z27t-k-D_KX3Q3ycjqeB8qJfiXryXam505AQ");
	}

	@Test
	void timestampsAreSignedAsTheirDecimalDigits() {
		for (long timestamp : new long[] { 0, 7, 10, 1_733_400_000_123L, Long.MAX_VALUE, -1, Long.MIN_VALUE }) {
			assertThat(EnvelopeFields.digits(timestamp))
				.isEqualTo(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
		}
	}

	@Test
	void rotationAcceptsPreviousTokensButSignsWithTheCurrentOne() {
		MessageSigner oldNode = new MessageSigner(OLD, List.of());
		MessageSigner rotatedNode = new MessageSigner(NEW, List.of(OLD));
		MessageSigner newOnlyNode = new MessageSigner(NEW, List.of());
		assertThat(rotatedNode.verify(oldNode.sign(this.envelope))).isTrue();
		assertThat(newOnlyNode.verify(rotatedNode.sign(this.envelope))).isTrue();
		assertThat(oldNode.verify(rotatedNode.sign(this.envelope))).isFalse();
		assertThat(rotatedNode.verify(new MessageSigner(OTHER, List.of()).sign(this.envelope))).isFalse();
	}

}
