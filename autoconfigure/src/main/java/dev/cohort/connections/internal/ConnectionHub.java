package dev.cohort.connections.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.chat.RoomMember;
import dev.cohort.chat.RoomMemberDetails;
import dev.cohort.chat.RoomMessage;
import dev.cohort.chat.RoomMessagePayload;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.internal.ClusterMembership;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.ConnectionListener;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.connections.ConnectionStore.Forgotten;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.SignInRefusedException;
import dev.cohort.internal.RateLimitedLog;
import dev.cohort.internal.RemoteText;
import dev.cohort.rpc.UnknownConnectionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * What happens to connections and rooms on this node: opening and closing connections,
 * joining, leaving and saying, with the middleware, and delivering room events to the
 * members this node holds. Room events travel to the other nodes on the cluster bus, and
 * each node delivers to its own members, so each member gets each event once. Delivery
 * only queues each member's frame (a {@link ClientChannel} never blocks), and a frame
 * that no middleware changes is built once for all members.
 */
public class ConnectionHub implements RoomEvents, SmartLifecycle {

	/** The bus message that carries a room event to every node. */
	static final String ROOM_EVENT = ClusterBus.INTERNAL_PREFIX + "chat.event";

	/** How many connections of a node that left one purge step forgets at most. */
	static final int PURGE_BATCH = 100;

	private static final Log logger = LogFactory.getLog(ConnectionHub.class);

	/** How long calls to Redis fail at once after one failed for want of Redis. */
	private static final Duration OUTAGE_RETRY_INTERVAL = Duration.ofSeconds(1);

	/** The default bound of a member's details, in bytes of JSON. */
	public static final int DEFAULT_MAX_MEMBER_DETAILS_SIZE = 1024;

	/** How long a stopping node waits for its connections to close. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder secretEncoder = Base64.getUrlEncoder().withoutPadding();

	private final RateLimitedLog rateLimited = new RateLimitedLog(logger, 10_000);

	private final OutageBreaker outages = new OutageBreaker(OUTAGE_RETRY_INTERVAL);

	private final String nodeId;

	private final ConnectionStore store;

	private final ClusterBus bus;

	private final ClusterClock clock;

	private final JsonMapper mapper;

	private final List<ChatMiddleware> middleware;

	private final LocalConnections connections = new LocalConnections();

	private volatile RoomMemberDetails memberDetails = RoomMemberDetails.NONE;

	private volatile int maxMemberDetailsSize = DEFAULT_MAX_MEMBER_DETAILS_SIZE;

	private volatile RoomMessagePayload messagePayload = RoomMessagePayload.DEFAULT;

	private volatile List<ConnectionListener> listeners = List.of();

	/**
	 * Whether room events and views show clients the connection ids of other clients, not
	 * only their users.
	 */
	private volatile boolean showConnectionIds;

	/**
	 * Held shared while a connection opens, closes, joins or leaves, across its directory
	 * write and the change of this node's index, and exclusively by a
	 * {@link DirectoryReconciler} while it compares them, so that it never sees one
	 * without the other.
	 */
	private final ReentrantReadWriteLock directoryLock = new ReentrantReadWriteLock();

	private volatile boolean running;

	/**
	 * Whether the node stops: a handshake that completes from then on is closed as the
	 * others were, not left open until the process exits.
	 */
	private volatile boolean stopping;

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
				deliver(ClientJson.MAPPER.readValue(envelope.body(), RoomEvent.class));
			}
		});
	}

	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Sets whether clients see the connection ids of other clients in room events and
	 * room views ({@code cluster.connections.show-connection-ids}); by default they see
	 * only their users, and a client learns no connection id but its own.
	 * @param showConnectionIds whether to show them
	 */
	public void setShowConnectionIds(boolean showConnectionIds) {
		this.showConnectionIds = showConnectionIds;
	}

	/**
	 * Sets what each member of a room shows to others, and how large that may be.
	 * @param memberDetails computes and sanitises the details
	 * @param maxSize the largest details, in bytes of JSON
	 */
	public void setMemberDetails(RoomMemberDetails memberDetails, int maxSize) {
		Assert.notNull(memberDetails, "'memberDetails' must not be null");
		Assert.isTrue(maxSize > 0, "'maxSize' must be positive");
		this.memberDetails = memberDetails;
		this.maxMemberDetailsSize = maxSize;
	}

	/**
	 * The largest member details, in bytes of JSON.
	 * @return the bound
	 */
	public int maxMemberDetailsSize() {
		return this.maxMemberDetailsSize;
	}

	/**
	 * Sets what a message said in a room looks like to its recipients.
	 * @param messagePayload the payload
	 */
	public void setMessagePayload(RoomMessagePayload messagePayload) {
		Assert.notNull(messagePayload, "'messagePayload' must not be null");
		this.messagePayload = messagePayload;
	}

	/**
	 * Sets who hears of connections opening and closing on this node, in order.
	 * @param listeners the listeners
	 */
	public void setConnectionListeners(List<ConnectionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Whether clients see the connection ids of other clients.
	 * @return whether they do
	 */
	boolean showsConnectionIds() {
		return this.showConnectionIds;
	}

	@Override
	public void start() {
		this.stopping = false;
		this.running = true;
	}

	/**
	 * Closes the connections this node holds while it is still a member, so that their
	 * rooms hear of it now and their clients reconnect elsewhere (and re-join), rather
	 * than other nodes purging them from the directory under their feet. Waits for them,
	 * for at most ten seconds.
	 */
	@Override
	public void stop() {
		// Before the connections are listed: a connection added after the list was taken
		// sees it when it opens.
		this.stopping = true;
		this.running = false;
		List<CompletableFuture<Void>> ends = new ArrayList<>();
		for (LocalConnection connection : this.connections.all()) {
			connection.close("the node is stopping");
			ends.add(connection.ended());
		}
		try {
			CompletableFuture.allOf(ends.toArray(new CompletableFuture<?>[0]))
				.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Not every connection had closed after " + STOP_TIMEOUT.toSeconds() + " s; stopping anyway");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ClusterMembership.PHASE + 1;
	}

	/**
	 * Opens a connection: registers it in the directory, then sends its client the
	 * {@code welcome}, the only frame that carries the connection's secret (with its id,
	 * its node and its user).
	 * @param channel the way to the client
	 * @param remoteAddress the client's address
	 * @param user the name of the principal the handshake authenticated, or {@code null}
	 * @return the connection
	 * @throws OutageBreaker.Unreachable if Redis is known to be unreachable
	 */
	LocalConnection open(ClientChannel channel, String remoteAddress, @Nullable String user) {
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		LocalConnection connection = new LocalConnection(UUID.randomUUID().toString(),
				secretEncoder.encodeToString(secret), channel, remoteAddress, Instant.ofEpochMilli(this.clock.millis()),
				user);
		directoryShared(() -> {
			this.outages.run(() -> this.store.register(connection.id(), this.nodeId, connection.user()));
			this.connections.add(connection);
			return null;
		});
		ObjectNode welcome = frame("welcome");
		welcome.put("connectionId", connection.id());
		welcome.put("nodeId", this.nodeId);
		welcome.put("secret", connection.secret());
		welcome.put("user", connection.user());
		connection.send(welcome.toString());
		if (this.stopping) {
			connection.close("the node is stopping");
		}
		ConnectionInfo opened = connection.info(this.nodeId);
		tellListeners("opened", connection, (listener) -> listener.opened(opened));
		return connection;
	}

	/**
	 * Tells each listener, in order, of a connection; one that throws is logged, and the
	 * others are still told.
	 */
	private void tellListeners(String what, LocalConnection connection, Consumer<ConnectionListener> call) {
		for (ConnectionListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				this.rateLimited.warn("listener:" + what, "A ConnectionListener (" + listener.getClass().getName()
						+ ") failed as connection " + connection.id() + " " + what, ex);
			}
		}
	}

	/**
	 * A connection has closed: it leaves this node, the directory and its rooms. While
	 * Redis is known to be unreachable it only leaves this node and its members here.
	 * @param connection the connection
	 */
	void closed(LocalConnection connection) {
		// As it was last, for the listeners: leaving takes it out of its rooms.
		ConnectionInfo last = connection.info(this.nodeId);
		// The rooms this node knows of, should the directory not answer; else the rooms
		// the directory held, which a late join may have added to.
		List<String> left = List.copyOf(connection.rooms());
		try {
			left = directoryShared(() -> {
				this.connections.remove(connection);
				return this.outages.call(() -> this.store.unregister(connection.id(), this.nodeId));
			});
		}
		catch (RuntimeException ex) {
			// The directory's reconciler forgets the connection once Redis answers again.
			this.rateLimited.warn("unregister",
					"Could not remove closed connection " + connection.id() + " from the directory: " + ex.getMessage(),
					OutageBreaker.isOutage(ex) ? null : ex);
		}
		finally {
			left.forEach((room) -> publish(
					RoomEvent.leave(room, connection.id(), connection.user(), presence(room), this.clock.millis())));
			tellListeners("closed", connection, (listener) -> listener.closed(last));
			connection.ended().complete(null);
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
		String details = memberDetails(connection, room);
		int joined = directoryShared(() -> joinInDirectory(connection, room, details));
		if (joined == ConnectionStore.NOT_REGISTERED) {
			throw new UnknownConnectionException(connection.id());
		}
		if (joined == ConnectionStore.NO_SUCH_ROOM) {
			throw new ChatRoomException("no-such-room", "There is no room '" + room + "'");
		}
		if (joined > 0) {
			// The directory said whether the room has presence: no second read.
			boolean presence = joined != ConnectionStore.JOINED_QUIETLY;
			publish(RoomEvent.join(room, connection.id(), connection.user(), presence, this.clock.millis()));
		}
	}

	/**
	 * Adds a connection to a room in the directory, then in this node's index. The
	 * directory refuses a connection it does not list for this node: one that closed (a
	 * join that came late, by RPC) is refused; one that this node still holds was lost by
	 * the directory, and is registered again.
	 */
	private int joinInDirectory(LocalConnection connection, String room, @Nullable String details) {
		int joined = this.store.join(room, connection.id(), this.nodeId, this.clock.millis(), details);
		if (joined == ConnectionStore.NOT_REGISTERED && this.connections.get(connection.id()) == connection) {
			this.store.register(connection.id(), this.nodeId, connection.user());
			joined = this.store.join(room, connection.id(), this.nodeId, this.clock.millis(), details);
		}
		if (joined >= 0) {
			this.connections.joined(connection, room);
			// A connection that was in already keeps the details it joined with.
			if (details != null && joined > 0) {
				connection.memberDetails().put(room, details);
			}
		}
		return joined;
	}

	/**
	 * What a connection that joins a room shows to others, generated and sanitised here,
	 * as JSON of at most the bound, or {@code null} for nothing.
	 * @throws ChatRefusedException if the details are larger than the bound
	 */
	private @Nullable String memberDetails(LocalConnection connection, String room) {
		RoomMemberDetails hook = this.memberDetails;
		if (hook == RoomMemberDetails.NONE) {
			return null;
		}
		Map<String, @Nullable Object> generated = hook.generate(connection.id(), connection.user(),
				Collections.unmodifiableMap(connection.attributes()), room);
		Map<String, @Nullable Object> sanitized = hook.sanitize(room, generated);
		if (sanitized.isEmpty()) {
			return null;
		}
		String json = this.mapper.writeValueAsString(sanitized);
		int size = json.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.maxMemberDetailsSize) {
			this.rateLimited.warn("details-too-large",
					"Refused connection " + connection.id() + " the room '" + RemoteText.name(room)
							+ "': its member details are " + size + " bytes of JSON, more than "
							+ "cluster.chat.max-member-details-size (" + this.maxMemberDetailsSize + ")");
			throw new ChatRefusedException("The member details are " + size + " bytes, more than "
					+ this.maxMemberDetailsSize + " (cluster.chat.max-member-details-size)");
		}
		return json;
	}

	void leave(LocalConnection connection, String room) {
		this.middleware.forEach((each) -> each.leave(connection.id(), connection.attributes(), room));
		boolean left = directoryShared(() -> {
			boolean removed = this.store.leave(room, connection.id());
			this.connections.left(connection, room);
			return removed;
		});
		if (left) {
			publish(RoomEvent.leave(room, connection.id(), connection.user(), presence(room), this.clock.millis()));
		}
	}

	/**
	 * Whether every member of a room hears of its joins and leaves; presence on when the
	 * directory does not answer, as by default.
	 */
	private boolean presence(String room) {
		try {
			return this.outages.call(() -> this.store.presence(room));
		}
		catch (RuntimeException ex) {
			this.rateLimited.warn(
					"presence", "Could not read whether room '" + RemoteText.name(room) + "' has presence: "
							+ ex.getMessage() + "; its members hear of joins and leaves",
					OutageBreaker.isOutage(ex) ? null : ex);
			return true;
		}
	}

	/**
	 * A connection says something in a room. The {@code say} middleware gets the message
	 * as read-only plain Java; what none of it changed is published as the client sent
	 * it.
	 * @param connection the connection
	 * @param room the room
	 * @param message what the client sent
	 */
	void say(LocalConnection connection, String room, JsonNode message) {
		if (!connection.rooms().contains(room)) {
			throw new ChatRoomException("not-member", "Connection is not in room '" + room + "'");
		}
		Object original = ClientJson.readOnly(message);
		@Nullable Object said = original;
		for (ChatMiddleware each : this.middleware) {
			said = each.say(connection.id(), connection.attributes(), room, said);
		}
		JsonNode published = (said == original) ? message : this.mapper.valueToTree(said);
		publish(RoomEvent.say(room, connection.id(), connection.user(), published, this.clock.millis()));
	}

	/**
	 * Sends a message from the server to a room.
	 * @param room the room
	 * @param message the message
	 */
	@Override
	public void broadcast(String room, Object message) {
		publish(RoomEvent.say(room, null, null, this.mapper.valueToTree(message), this.clock.millis()));
	}

	/**
	 * Tells every node that memberships ended (a room destroyed, a node purged).
	 * @param room the room
	 * @param connectionIds the connections that left
	 */
	@Override
	public void membershipsEnded(String room, List<String> connectionIds) {
		if (!connectionIds.isEmpty()) {
			membershipsEnded(room, connectionIds, presence(room));
		}
	}

	/**
	 * The user of a connection, if this node holds it: memberships that end or are
	 * restored in the directory are told by the node that finds them, and the user of a
	 * connection another node held (one that left, say) is not known here.
	 */
	private @Nullable String userOf(String connectionId) {
		LocalConnection connection = this.connections.get(connectionId);
		return (connection != null) ? connection.user() : null;
	}

	@Override
	public void membershipsEnded(String room, List<String> connectionIds, boolean presence) {
		connectionIds.forEach((id) -> publish(RoomEvent.leave(room, id, userOf(id), presence, this.clock.millis())));
	}

	/**
	 * Sends an event to the other nodes, unless Redis is known to be unreachable, then
	 * delivers it to this node's members: the other nodes start their fan-out while this
	 * one does its own, rather than after it.
	 */
	private void publish(RoomEvent event) {
		try {
			String body = ClientJson.MAPPER.writeValueAsString(event);
			this.outages.run(() -> this.bus.send(ROOM_EVENT, Envelope.ALL, body));
			published(event);
		}
		catch (RuntimeException ex) {
			this.rateLimited.warn("publish", "Could not send a '" + event.type() + "' event of room '"
					+ RemoteText.name(event.room()) + "' to the other nodes: " + ex.getMessage(),
					OutageBreaker.isOutage(ex) ? null : ex);
		}
		deliver(event);
	}

	/**
	 * An event went to the other nodes, before this node's members are served: a hook for
	 * tests.
	 * @param event the event
	 */
	void published(RoomEvent event) {
	}

	/**
	 * Delivers an event to this node's members: queues a frame for each, built once for
	 * all those whose {@code deliver} middleware does not change the message. The
	 * connection the event is about (the sender, the one that joins or leaves) gets a
	 * frame of its own, with its own id in it, so that it knows the event is its own.
	 */
	private void deliver(RoomEvent told) {
		String subjectId = told.connectionId();
		LocalConnection subject = (subjectId != null) ? this.connections.get(subjectId) : null;
		// A node that told of a membership that ended without holding the connection (a
		// destroyed room's) did not know its user; this node does if it holds it.
		RoomEvent event = (told.user() == null && subject != null) ? told.withUser(subject.user()) : told;
		if (event.type().equals("say")) {
			deliverSay(event, subject);
			return;
		}
		String shared = eventFrame(event, false);
		if (event.type().equals("leave")) {
			if (subject != null) {
				this.connections.left(subject, event.room());
				subject.send(ownFrame(event, shared));
			}
			if (!event.presence()) {
				return;
			}
		}
		if (event.type().equals("join") && !event.presence()) {
			// Only the connection that joined hears of it.
			if (subject != null && subject.rooms().contains(event.room())) {
				subject.send(ownFrame(event, shared));
			}
			return;
		}
		List<LocalConnection> members = this.connections.inRoom(event.room());
		members.forEach((member) -> member.send((member == subject) ? ownFrame(event, shared) : shared));
	}

	/**
	 * Delivers what is said to this node's members: a frame built once for all those
	 * whose {@code deliver} middleware does not change the message (and one for the
	 * sender's own copy), one per member whose middleware changes it. A frame that could
	 * not be built (the payload failed) costs the members it was for the message.
	 */
	private void deliverSay(RoomEvent event, @Nullable LocalConnection subject) {
		JsonNode said = event.message();
		if (said == null || said.isNull()) {
			return; // a null message reaches no member
		}
		List<LocalConnection> members = this.connections.inRoom(event.room());
		if (members.isEmpty()) {
			return;
		}
		@Nullable String shared = sayFrame(event, said, false);
		// The sender's own copy, built only if it is a member here.
		@Nullable String own = null;
		Object original = this.middleware.isEmpty() ? said : ClientJson.readOnly(said);
		for (LocalConnection member : members) {
			Object message = original;
			try {
				for (ChatMiddleware each : this.middleware) {
					message = (message != null) ? each.deliver(member.id(), event.room(), event.connectionId(), message)
							: null;
				}
			}
			catch (RuntimeException ex) {
				// One member's middleware failing costs that member the message, no one
				// else.
				this.rateLimited.warn("deliver", "A chat middleware failed delivering to connection " + member.id()
						+ " in room '" + RemoteText.name(event.room()) + "'", ex);
				continue;
			}
			@Nullable String frame;
			if (message == original) {
				if (member == subject && !this.showConnectionIds) {
					own = (own != null) ? own : sayFrame(event, said, true);
					frame = own;
				}
				else {
					frame = shared;
				}
			}
			else {
				frame = (message != null) ? sayFrame(event, this.mapper.valueToTree(message), member == subject) : null;
			}
			if (frame != null) {
				member.send(frame);
			}
		}
	}

	/**
	 * The frame of what is said, through the {@link RoomMessagePayload}: the connection
	 * id of the sender only for the sender itself or when {@link #setShowConnectionIds
	 * shown}.
	 * @return the frame, or {@code null} if the payload failed
	 */
	private @Nullable String sayFrame(RoomEvent event, JsonNode message, boolean own) {
		boolean withId = own || this.showConnectionIds;
		ObjectNode frame = frame(event.type());
		RoomMessagePayload payload = this.messagePayload;
		if (payload == RoomMessagePayload.DEFAULT) {
			// The same frame, without the trip through plain Java.
			frame.put("room", event.room());
			frame.put("user", event.user());
			if (withId) {
				frame.put("from", event.connectionId());
			}
			frame.set("message", message);
			frame.put("sentAt", event.sentAt());
			return frame.toString();
		}
		try {
			Object said = ClientJson.readOnly(message);
			RoomMessage roomMessage = new RoomMessage(event.room(), event.user(), withId ? event.connectionId() : null,
					(said != null) ? said : message, Instant.ofEpochMilli(event.sentAt()));
			JsonNode fields = this.mapper.valueToTree(payload.payload(roomMessage));
			fields.properties().forEach((field) -> {
				if (!field.getKey().equals("event")) {
					frame.set(field.getKey(), field.getValue());
				}
			});
			return frame.toString();
		}
		catch (RuntimeException ex) {
			this.rateLimited.warn("payload", "The RoomMessagePayload (" + payload.getClass().getName()
					+ ") failed for a message in room '" + RemoteText.name(event.room()) + "'", ex);
			return null;
		}
	}

	/**
	 * The frame of an event for the connection it is about: the shared one if that shows
	 * connection ids anyway.
	 */
	private String ownFrame(RoomEvent event, String shared) {
		return this.showConnectionIds ? shared : eventFrame(event, true);
	}

	/**
	 * A join or leave event's frame: the user of the connection it is about, and its
	 * connection id only for that connection itself or when {@link #setShowConnectionIds
	 * shown}.
	 */
	private String eventFrame(RoomEvent event, boolean own) {
		ObjectNode frame = frame(event.type());
		frame.put("room", event.room());
		frame.put("user", event.user());
		if (own || this.showConnectionIds) {
			frame.put("connectionId", event.connectionId());
		}
		return frame.toString();
	}

	ObjectNode frame(String event) {
		ObjectNode frame = ClientJson.MAPPER.createObjectNode();
		frame.put("event", event);
		return frame;
	}

	/**
	 * The application's mapper, for what the application provides (attributes, what
	 * middleware says, details): never for what clients send.
	 * @return the mapper
	 */
	JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Whether calls to Redis fail at once, because one failed for want of Redis.
	 * @return the breaker
	 */
	OutageBreaker outages() {
		return this.outages;
	}

	/**
	 * The members of a room, as clients may see them.
	 * @param room the room
	 * @return the members
	 */
	List<RoomMember> members(String room) {
		return RoomMembers.of(room, this.store.members(room));
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
			case SIGN_IN -> {
				String secret = operation.secret();
				String name = operation.name();
				Object value = operation.value();
				if (secret == null || name == null || value == null || !connection.signIn(secret, name, value)) {
					throw new SignInRefusedException(
							"Connection '" + connection.id() + "' refused the sign-in: the secret is not its own, or '"
									+ operation.name() + "' is set already");
				}
			}
			case REMOVE_ATTRIBUTE -> connection.attributes().remove(operation.name());
			case SEND -> {
				ObjectNode frame = frame("message");
				frame.set("message", this.mapper.valueToTree(operation.value()));
				connection.send(frame.toString());
			}
			case JOIN -> join(connection, room(operation));
			case LEAVE -> leave(connection, room(operation));
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
	 * The room a join or leave names: always set by {@link ConnectionOperation#join} and
	 * {@link ConnectionOperation#leave}, but an operation read from another node is
	 * checked.
	 */
	private static String room(ConnectionOperation operation) {
		String room = operation.name();
		if (room == null) {
			throw new IllegalArgumentException("A " + operation.kind() + " operation names no room");
		}
		return room;
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
		if (!connectionIds.isEmpty()) {
			boolean presence = presence(room);
			connectionIds.forEach((id) -> publish(RoomEvent.join(room, id, userOf(id), presence, this.clock.millis())));
		}
	}

	/**
	 * How many connections this node holds, without reading the directory.
	 * @return the count
	 */
	public int localConnectionCount() {
		return this.connections.size();
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
	 * changes. While Redis is known to be unreachable it fails at once, so that it does
	 * not hold up this node's connections for a command timeout.
	 * @param comparison the comparison
	 * @return its result
	 * @throws OutageBreaker.Unreachable if Redis is known to be unreachable
	 */
	<T> T directoryExclusive(Supplier<T> comparison) {
		return locked(this.directoryLock.writeLock(), () -> this.outages.call(comparison));
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
	 * @param user the user of that connection, or {@code null} for an anonymous client,
	 * the server, or one whose node did not know it (absent in events of nodes from
	 * before users travelled with events)
	 * @param message what is said, or {@code null}
	 * @param sentAt when, ms
	 * @param presence for a join or leave, whether every member hears of it or only the
	 * connection that joins or leaves
	 */
	record RoomEvent(String type, String room, @Nullable String connectionId, @Nullable String user,
			@Nullable JsonNode message, long sentAt, boolean presence) {

		static RoomEvent say(String room, @Nullable String from, @Nullable String user, JsonNode message, long sentAt) {
			return new RoomEvent("say", room, from, user, message, sentAt, true);
		}

		static RoomEvent join(String room, String connectionId, @Nullable String user, boolean presence, long sentAt) {
			return new RoomEvent("join", room, connectionId, user, null, sentAt, presence);
		}

		static RoomEvent leave(String room, String connectionId, @Nullable String user, boolean presence, long sentAt) {
			return new RoomEvent("leave", room, connectionId, user, null, sentAt, presence);
		}

		RoomEvent withUser(@Nullable String user) {
			return new RoomEvent(this.type, this.room, this.connectionId, user, this.message, this.sentAt,
					this.presence);
		}

	}

}
