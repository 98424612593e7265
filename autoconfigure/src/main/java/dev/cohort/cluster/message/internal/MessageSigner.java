package dev.cohort.cluster.message.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Signs envelopes with HMAC-SHA256 keyed by the current server token, and verifies them
 * against the current token and any previous ones still accepted during a rotation. The
 * token itself never leaves the node.
 * <p>
 * The signature covers a canonical form of every field: each field's UTF-8 bytes,
 * preceded by their length, so that no two different envelopes sign alike.
 */
public final class MessageSigner {

	private static final String ALGORITHM = "HmacSHA256";

	private static final byte[] DOMAIN = "cohort-envelope-v1".getBytes(StandardCharsets.UTF_8);

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	/** HMAC-SHA256's 32 bytes in base64url without padding. */
	private static final int SIGNATURE_LENGTH = 43;

	private final List<ThreadLocal<Mac>> keys;

	/**
	 * Creates a signer.
	 * @param currentToken the token that signs
	 * @param previousTokens tokens that are still accepted when verifying
	 */
	public MessageSigner(String currentToken, List<String> previousTokens) {
		Assert.hasText(currentToken, "'currentToken' must not be empty");
		Assert.notNull(previousTokens, "'previousTokens' must not be null");
		List<ThreadLocal<Mac>> keys = new ArrayList<>();
		keys.add(macFor(currentToken));
		previousTokens.forEach((token) -> keys.add(macFor(token)));
		this.keys = List.copyOf(keys);
	}

	private static ThreadLocal<Mac> macFor(String token) {
		SecretKeySpec key = new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), ALGORITHM);
		return ThreadLocal.withInitial(() -> {
			try {
				Mac mac = Mac.getInstance(ALGORITHM);
				mac.init(key);
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", ex);
			}
		});
	}

	/**
	 * Signs an envelope with the current token.
	 * @param envelope the envelope, whose signature is ignored
	 * @return a copy carrying the signature
	 */
	public Envelope sign(Envelope envelope) {
		return envelope.withSignature(signature(EnvelopeFields.of(envelope)));
	}

	/**
	 * The signature of an envelope's fields with the current token.
	 * @param fields the fields
	 * @return the signature, as {@link Envelope#signature()} carries it
	 */
	String signature(EnvelopeFields fields) {
		return ENCODER.encodeToString(digest(this.keys.get(0).get(), canonical(fields)));
	}

	/**
	 * Whether an envelope's signature was made by the current or a previous token.
	 * @param envelope the envelope
	 * @return {@code true} if the signature is valid
	 */
	public boolean verify(Envelope envelope) {
		byte[] claimed = decode(envelope.signature());
		if (claimed == null) {
			return false;
		}
		byte[] canonical = canonical(EnvelopeFields.of(envelope));
		for (ThreadLocal<Mac> key : this.keys) {
			if (MessageDigest.isEqual(claimed, digest(key.get(), canonical))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Decodes a signature strictly: only the one text {@link #sign} produces for a MAC is
	 * accepted. Base64 decoders ignore the unused low bits of the last character and
	 * accept padding, so several texts decode to the same bytes; taking any of them would
	 * let a signed frame travel in more than one form.
	 */
	private static byte @Nullable [] decode(@Nullable String signature) {
		if (signature == null || signature.length() != SIGNATURE_LENGTH) {
			return null;
		}
		byte[] claimed;
		try {
			claimed = Base64.getUrlDecoder().decode(signature);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return ENCODER.encodeToString(claimed).equals(signature) ? claimed : null;
	}

	private static byte[] digest(Mac mac, byte[] canonical) {
		mac.reset();
		return mac.doFinal(canonical);
	}

	/**
	 * The bytes that are signed: the domain and each field, in a fixed order, each as its
	 * length (4 bytes, big-endian) and its bytes. Built in one array and handed to the
	 * MAC at once: a MAC takes single bytes one call at a time.
	 */
	private static byte[] canonical(EnvelopeFields fields) {
		byte[][] signed = fields.inOrder();
		ByteBuffer canonical = ByteBuffer.allocate((signed.length + 1) * Integer.BYTES + DOMAIN.length + fields.size());
		canonical.putInt(DOMAIN.length).put(DOMAIN);
		for (byte[] field : signed) {
			canonical.putInt(field.length).put(field);
		}
		return canonical.array();
	}

}
