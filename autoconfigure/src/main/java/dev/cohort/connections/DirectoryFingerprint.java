package dev.cohort.connections;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fingerprint of a node's entries in the directory: the XOR of a 32-bit hash (the
 * first four bytes of the SHA-1) of each of its connection ids and of each
 * {@code "<connection id>\n<room>"} of their memberships. The directory keeps it up to
 * date with every change, as the Redis scripts do; comparing it with the one of what the
 * node holds tells, with one number, whether they differ.
 */
public final class DirectoryFingerprint {

	private DirectoryFingerprint() {
	}

	/**
	 * The hash of a connection of the node.
	 * @param connectionId the connection
	 * @return its hash
	 */
	public static int connection(String connectionId) {
		return hash(connectionId);
	}

	/**
	 * The hash of a membership of a connection of the node.
	 * @param connectionId the connection
	 * @param room the room
	 * @return its hash
	 */
	public static int membership(String connectionId, String room) {
		return hash(connectionId + "\n" + room);
	}

	/**
	 * The hash of a connection and its memberships.
	 * @param connectionId the connection
	 * @param rooms its rooms
	 * @return their hash
	 */
	public static int of(String connectionId, Iterable<String> rooms) {
		int fingerprint = connection(connectionId);
		for (String room : rooms) {
			fingerprint ^= membership(connectionId, room);
		}
		return fingerprint;
	}

	private static int hash(String item) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(item.getBytes(StandardCharsets.UTF_8));
			return ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
					| (digest[3] & 0xff);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-1", ex);
		}
	}

}
