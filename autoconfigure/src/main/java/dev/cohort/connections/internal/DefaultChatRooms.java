package dev.cohort.connections.internal;

import java.util.List;
import java.util.Map;

import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.chat.RoomOptions;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.connections.ConnectionStore;

import org.springframework.util.Assert;

/**
 * {@link ChatRooms} on the directory: rooms and memberships in the store, joins and
 * leaves on the connection's node through {@link ClusterConnections}, messages through
 * the room events every node delivers to its own members.
 */
public class DefaultChatRooms implements ChatRooms {

	private final ConnectionStore store;

	private final ClusterConnections connections;

	private final RoomEvents events;

	public DefaultChatRooms(ConnectionStore store, ClusterConnections connections, RoomEvents events) {
		this.store = store;
		this.connections = connections;
		this.events = events;
	}

	@Override
	public boolean add(String room, RoomOptions options) {
		return this.store.addRoom(checkRoom(room), options.presence());
	}

	@Override
	public boolean destroy(String room) {
		boolean existed = this.store.roomExists(checkRoom(room));
		// Read before the room and its options go.
		boolean presence = this.store.presence(room);
		List<String> members = this.store.destroyRoom(room);
		this.events.membershipsEnded(room, members, presence);
		return existed;
	}

	@Override
	public boolean exists(String room) {
		return this.store.roomExists(checkRoom(room));
	}

	@Override
	public List<String> list() {
		return this.store.rooms();
	}

	@Override
	public Map<String, Long> memberCounts() {
		return this.store.roomSizes();
	}

	@Override
	public List<RoomMember> status(String room) {
		return RoomMembers.of(room, this.store.members(checkRoom(room)));
	}

	@Override
	public void addMember(String connectionId, String room) {
		this.connections.apply(connectionId, ConnectionOperation.join(checkRoom(room)));
	}

	@Override
	public void removeMember(String connectionId, String room) {
		this.connections.apply(connectionId, ConnectionOperation.leave(checkRoom(room)));
	}

	@Override
	public void broadcast(String room, Object message) {
		if (!this.store.roomExists(checkRoom(room))) {
			throw new ChatRoomException("no-such-room", "There is no room '" + room + "'");
		}
		this.events.broadcast(room, message);
	}

	private static String checkRoom(String room) {
		Assert.hasText(room, "'room' must not be empty");
		return room;
	}

}
