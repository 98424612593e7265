package dev.cohort.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterMembership;
import dev.cohort.cluster.message.ClusterBus;
import dev.cohort.cluster.message.Envelope;
import dev.cohort.connections.ConnectionStore.Forgotten;
import dev.cohort.rpc.UnknownConnectionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.SmartLifecycle;

/**
 * What happens to connections and rooms on this node: opening and closing connections,
 * joining, leaving and saying, with the middleware, and delivering room events to the
 * members this node holds. Room events travel to the other nodes on the cluster bus, and
 * each node delivers to its own members, so each member gets each event once.
 */
public class ConnectionHub implements RoomEvents, SmartLifecycle {

	/** The bus message that carries a room event to every node. */
	static final String ROOM_EVENT = ClusterBus.INTERNAL_PREFIX + "chat.event";

	/** How many connections of a node that left one purge step forgets at most. */
	static final int PURGE_BATCH = 100;

	private static final Log logger = LogFactory.getLog(ConnectionHub.class);

	private final String nodeId;

	private final ConnectionStore store;

	private final ClusterBus bus;

	private final ClusterClock clock;

	private final JsonMapper mapper;

	private final List<ChatMiddleware> middleware;

	private final LocalConnections connections = new LocalConnections();

	/**
	 * Held shared while a connection opens, closes, joins or leaves, across its directory
	 * write and the change of this node's index, and exclusively by a
	 * {@link DirectoryReconciler} while it compares them, so that it never sees one
	 * without the other.
	 */
	private final ReentrantReadWriteLock directoryLock = new ReentrantReadWriteLock();

	private volatile boolean running;

	public ConnectionHub(String nodeId, ConnectionStore store, ClusterBus bus, ClusterClock clock, JsonMapper mapper,
			List<ChatMiddleware> middleware) {
		this.nodeId = nodeId;
		this.store = store;
		this.bus = bus;
		this.clock = clock;
		this.mapper = mapper;
		this.middleware = List.copyOf(middleware);
		this.bus.subscribe(ROOM_EVENT, (envelope) -> {
			if (!envelope.origin().equals(this.nodeId)) {
				deliver(this.mapper.readValue(envelope.body(), RoomEvent.class));
			}
		});
	}

	public String nodeId() {
		return this.nodeId;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Closes the connections this node holds while it is still a member, so that their
	 * rooms hear of it now and their clients reconnect elsewhere (and re-join), rather
	 * than other nodes purging them from the directory under their feet.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.connections.all().forEach((connection) -> connection.close("the node is stopping"));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ClusterMembership.PHASE + 1;
	}

	LocalConnection open(ClientChannel channel, String remoteAddress) {
		LocalConnection connection = new LocalConnection(UUID.randomUUID().toString(), channel, remoteAddress,
				Instant.ofEpochMilli(this.clock.millis()));
		directoryShared(() -> {
			this.store.register(connection.id(), this.nodeId);
			this.connections.add(connection);
			return null;
		});
		ObjectNode welcome = frame("welcome");
		welcome.put("connectionId", connection.id());
		welcome.put("nodeId", this.nodeId);
		connection.send(welcome.toString());
		return connection;
	}

	void closed(LocalConnection connection) {
		List<String> rooms = List.copyOf(connection.rooms());
		List<String> left = rooms;
		try {
			left = directoryShared(() -> {
				this.connections.remove(connection);
				return this.store.unregister(connection.id(), this.nodeId);
			});
		}
		finally {
			left.forEach((room) -> publish(RoomEvent.leave(room, connection.id(), this.clock.millis())));
		}
	}

	@Nullable LocalConnection local(String connectionId) {
		return this.connections.get(connectionId);
	}

	List<ConnectionInfo> localInfos() {
		return this.connections.all().stream().map((connection) -> connection.info(this.nodeId)).toList();
	}

	void join(LocalConnection connection, String room) {
		this.middleware.forEach((each) -> each.join(connection.id(), connection.attributes(), room));
		int joined = directoryShared(() -> joinInDirectory(connection, room));
		if (joined == ConnectionStore.NOT_REGISTERED) {
			throw new UnknownConnectionException(connection.id());
		}
		if (joined == ConnectionStore.NO_SUCH_ROOM) {
			throw new ChatRoomException("no-such-room", "There is no room '" + room + "'");
		}
		if (joined > 0) {
			publish(RoomEvent.join(room, connection.id(), this.clock.millis()));
		}
	}

	/**
	 * Adds a connection to a room in the directory, then in this node's index. The
	 * directory refuses a connection it does not list for this node: one that closed (a
	 * join that came late, by RPC) is refused; one that this node still holds was lost by
	 * the directory, and is registered again.
	 */
	private int joinInDirectory(LocalConnection connection, String room) {
		int joined = this.store.join(room, connection.id(), this.nodeId, this.clock.millis());
		if (joined == ConnectionStore.NOT_REGISTERED && this.connections.get(connection.id()) == connection) {
			this.store.register(connection.id(), this.nodeId);
			joined = this.store.join(room, connection.id(), this.nodeId, this.clock.millis());
		}
		if (joined >= 0) {
			this.connections.joined(connection, room);
		}
		return joined;
	}

	void leave(LocalConnection connection, String room) {
		this.middleware.forEach((each) -> each.leave(connection.id(), connection.attributes(), room));
		boolean left = directoryShared(() -> {
			boolean removed = this.store.leave(room, connection.id());
			this.connections.left(connection, room);
			return removed;
		});
		if (left) {
			publish(RoomEvent.leave(room, connection.id(), this.clock.millis()));
		}
	}

	void say(LocalConnection connection, String room, Object message) {
		if (!connection.rooms().contains(room)) {
			throw new ChatRoomException("not-member", "Connection is not in room '" + room + "'");
		}
		Object said = message;
		for (ChatMiddleware each : this.middleware) {
			said = each.say(connection.id(), connection.attributes(), room, said);
		}
		publish(RoomEvent.say(room, connection.id(), this.mapper.valueToTree(said), this.clock.millis()));
	}

	/**
	 * Sends a message from the server to a room.
	 * @param room the room
	 * @param message the message
	 */
	@Override
	public void broadcast(String room, Object message) {
		publish(RoomEvent.say(room, null, this.mapper.valueToTree(message), this.clock.millis()));
	}

	/**
	 * Tells every node that memberships ended (a room destroyed, a node purged).
	 * @param room the room
	 * @param connectionIds the connections that left
	 */
	@Override
	public void membershipsEnded(String room, List<String> connectionIds) {
		connectionIds.forEach((id) -> publish(RoomEvent.leave(room, id, this.clock.millis())));
	}

	private void publish(RoomEvent event) {
		deliver(event);
		try {
			this.bus.send(ROOM_EVENT, Envelope.ALL, this.mapper.writeValueAsString(event));
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not send a '" + event.type() + "' event of room '" + event.room() + "' to the other nodes",
					ex);
		}
	}

	private void deliver(RoomEvent event) {
		if (event.type().equals("leave")) {
			LocalConnection leaving = this.connections.get(event.connectionId());
			if (leaving != null) {
				this.connections.left(leaving, event.room());
				leaving.send(eventFrame(event, event.message()));
			}
		}
		for (LocalConnection member : this.connections.inRoom(event.room())) {
			if (event.type().equals("say")) {
				Object message = this.mapper.treeToValue(event.message(), Object.class);
				try {
					for (ChatMiddleware each : this.middleware) {
						message = (message != null)
								? each.deliver(member.id(), event.room(), event.connectionId(), message) : null;
					}
				}
				catch (RuntimeException ex) {
					// One member's middleware failing costs that member the message, no
					// one else.
					logger.warn("A chat middleware failed delivering to connection " + member.id(), ex);
					continue;
				}
				if (message != null) {
					member.send(eventFrame(event, this.mapper.valueToTree(message)));
				}
			}
			else {
				member.send(eventFrame(event, null));
			}
		}
	}

	private String eventFrame(RoomEvent event, @Nullable JsonNode message) {
		ObjectNode frame = frame(event.type());
		frame.put("room", event.room());
		if (event.type().equals("say")) {
			frame.put("from", event.connectionId());
			frame.set("message", message);
			frame.put("sentAt", event.sentAt());
		}
		else {
			frame.put("connectionId", event.connectionId());
		}
		return frame.toString();
	}

	ObjectNode frame(String event) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("event", event);
		return frame;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * The members of a room, as clients may see them.
	 * @param room the room
	 * @return the members
	 */
	List<RoomMember> members(String room) {
		return RoomMember.of(room, this.store.members(room));
	}

	/**
	 * Runs an operation on a connection this node holds.
	 * @param connection the connection
	 * @param operation the operation
	 * @return its details afterwards
	 */
	ConnectionInfo apply(LocalConnection connection, ConnectionOperation operation) {
		switch (operation.kind()) {
			case SET_ATTRIBUTE -> connection.attributes().put(operation.name(), operation.value());
			case REMOVE_ATTRIBUTE -> connection.attributes().remove(operation.name());
			case SEND -> {
				ObjectNode frame = frame("message");
				frame.set("message", this.mapper.valueToTree(operation.value()));
				connection.send(frame.toString());
			}
			case JOIN -> join(connection, operation.name());
			case LEAVE -> leave(connection, operation.name());
			case DISCONNECT -> {
				ObjectNode frame = frame("disconnect");
				frame.put("reason", operation.name());
				connection.send(frame.toString());
				connection.close("disconnected by the server");
			}
		}
		return connection.info(this.nodeId);
	}

	/**
	 * Every node's connections the directory lists for a node that left are gone: tell
	 * the rooms they were in.
	 * @param nodeId the node that left
	 */
	public void purge(String nodeId) {
		Set<String> rooms = new TreeSet<>();
		int steps = 0;
		Forgotten step;
		do {
			step = this.store.purgeNode(nodeId, PURGE_BATCH);
			step.memberships().forEach(this::membershipsEnded);
			rooms.addAll(step.memberships().keySet());
			steps++;
		}
		while (step.connections() > 0);
		if (!rooms.isEmpty()) {
			logger.info("Node " + nodeId + " left: its connections left " + new ArrayList<>(rooms) + " (" + steps
					+ " steps).");
		}
	}

	/**
	 * Tells every node that memberships were written again after the directory lost them.
	 * @param room the room
	 * @param connectionIds the connections that are in it again
	 */
	void membershipsRestored(String room, List<String> connectionIds) {
		connectionIds.forEach((id) -> publish(RoomEvent.join(room, id, this.clock.millis())));
	}

	/**
	 * The connections this node holds.
	 * @return a snapshot
	 */
	List<LocalConnection> held() {
		return List.copyOf(this.connections.all());
	}

	/**
	 * Runs a directory change of one connection together with the change of this node's
	 * index, so that a reconciler never sees one without the other.
	 */
	private <T> T directoryShared(Supplier<T> change) {
		return locked(this.directoryLock.readLock(), change);
	}

	/**
	 * Runs a comparison of the directory with this node's connections while none of them
	 * changes.
	 * @param comparison the comparison
	 * @return its result
	 */
	<T> T directoryExclusive(Supplier<T> comparison) {
		return locked(this.directoryLock.writeLock(), comparison);
	}

	private static <T> T locked(Lock lock, Supplier<T> action) {
		lock.lock();
		try {
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * An event of a room, as it travels between nodes.
	 *
	 * @param type {@code say}, {@code join} or {@code leave}
	 * @param room the room
	 * @param connectionId the sender of a say (or {@code null} for the server), the
	 * joining or leaving connection
	 * @param message what is said, or {@code null}
	 * @param sentAt when, ms
	 */
	record RoomEvent(String type, String room, @Nullable String connectionId, @Nullable JsonNode message, long sentAt) {

		static RoomEvent say(String room, @Nullable String from, JsonNode message, long sentAt) {
			return new RoomEvent("say", room, from, message, sentAt);
		}

		static RoomEvent join(String room, String connectionId, long sentAt) {
			return new RoomEvent("join", room, connectionId, null, sentAt);
		}

		static RoomEvent leave(String room, String connectionId, long sentAt) {
			return new RoomEvent("leave", room, connectionId, null, sentAt);
		}

	}

}
