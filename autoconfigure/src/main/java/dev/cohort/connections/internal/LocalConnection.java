package dev.cohort.connections.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.cohort.connections.ConnectionInfo;
import org.jspecify.annotations.Nullable;

/**
 * A connection held by this node: its channel to the client, attributes and rooms, and
 * the secret that only its client knows.
 */
public final class LocalConnection {

	private final String id;

	private final String secret;

	private final ClientChannel channel;

	private final String remoteAddress;

	private final Instant connectedAt;

	private final @Nullable String user;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	/**
	 * The member details of its rooms that have some, room to JSON object: written again
	 * with the memberships should the directory lose them.
	 */
	private final Map<String, String> memberDetails = new ConcurrentHashMap<>();

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	LocalConnection(String id, String secret, ClientChannel channel, String remoteAddress, Instant connectedAt,
			@Nullable String user) {
		this.id = id;
		this.user = user;
		if (user != null) {
			this.attributes.put(ConnectionInfo.USER_ATTRIBUTE, user);
		}
		this.secret = secret;
		this.channel = channel;
		this.remoteAddress = remoteAddress;
		this.connectedAt = connectedAt;
	}

	public String id() {
		return this.id;
	}

	/**
	 * The name of the principal the handshake authenticated.
	 * @return the user, or {@code null} if anonymous
	 */
	public @Nullable String user() {
		return this.user;
	}

	public Map<String, Object> attributes() {
		return this.attributes;
	}

	/**
	 * The secret sent to the client in its {@code welcome} only.
	 * @return the secret
	 */
	String secret() {
		return this.secret;
	}

	/**
	 * Sets an attribute if the secret is the connection's and the attribute is not set:
	 * the check and the set are one step, so that of two sign-ins one wins.
	 * @param secret the secret the client was given
	 * @param name the attribute
	 * @param value its value
	 * @return whether it was set
	 */
	boolean signIn(String secret, String name, Object value) {
		// Compared in a time that does not depend on where the two differ.
		boolean matches = MessageDigest.isEqual(this.secret.getBytes(StandardCharsets.UTF_8),
				secret.getBytes(StandardCharsets.UTF_8));
		return matches && this.attributes.putIfAbsent(name, value) == null;
	}

	Set<String> rooms() {
		return this.rooms;
	}

	Map<String, String> memberDetails() {
		return this.memberDetails;
	}

	void send(String frame) {
		this.channel.send(frame);
	}

	void close(String reason) {
		this.channel.close(reason);
	}

	/**
	 * Completes once the node is done with the connection's closing: it left the
	 * directory and its rooms heard of it.
	 * @return the future
	 */
	CompletableFuture<Void> ended() {
		return this.ended;
	}

	ConnectionInfo info(String nodeId) {
		return new ConnectionInfo(this.id, nodeId, this.remoteAddress, this.connectedAt, Map.copyOf(this.attributes),
				List.copyOf(this.rooms).stream().sorted().toList(), this.user);
	}

}
