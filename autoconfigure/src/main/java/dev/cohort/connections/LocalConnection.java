package dev.cohort.connections;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection held by this node: its channel to the client, attributes and rooms.
 */
public final class LocalConnection {

	private final String id;

	private final ClientChannel channel;

	private final String remoteAddress;

	private final Instant connectedAt;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	LocalConnection(String id, ClientChannel channel, String remoteAddress, Instant connectedAt) {
		this.id = id;
		this.channel = channel;
		this.remoteAddress = remoteAddress;
		this.connectedAt = connectedAt;
	}

	public String id() {
		return this.id;
	}

	public Map<String, Object> attributes() {
		return this.attributes;
	}

	Set<String> rooms() {
		return this.rooms;
	}

	void send(String frame) {
		this.channel.send(frame);
	}

	void close(String reason) {
		this.channel.close(reason);
	}

	ConnectionInfo info(String nodeId) {
		return new ConnectionInfo(this.id, nodeId, this.remoteAddress, this.connectedAt, Map.copyOf(this.attributes),
				List.copyOf(this.rooms).stream().sorted().toList());
	}

}
