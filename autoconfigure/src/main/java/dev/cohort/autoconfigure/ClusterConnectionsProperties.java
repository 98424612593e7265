package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * The WebSocket endpoint of server nodes, and the connections it holds.
 * <p>
 * Bound under {@code cluster.connections.*} through
 * {@link ClusterProperties#getConnections()}.
 */
public class ClusterConnectionsProperties {

	/**
	 * Whether server nodes expose the WebSocket endpoint (when
	 * spring-boot-starter-websocket is on the classpath).
	 */
	private boolean enabled = true;

	/**
	 * Path of the WebSocket endpoint.
	 */
	private String path = "/cohort/ws";

	/**
	 * Origins allowed to open WebSocket connections, such as 'https://example.com'. By
	 * default only the endpoint's own origin.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Whether to refuse, with HTTP 401, WebSocket handshakes that carry no authenticated
	 * principal (from Spring Security or another servlet filter).
	 */
	private boolean requireAuthentication;

	/**
	 * Prefixes of the names of private rooms: the default RoomAuthorizer refuses every
	 * client's join and view of them; a RoomAuthorizer bean of the application decides
	 * instead.
	 */
	private List<String> privateRooms = new ArrayList<>();

	/**
	 * Whether clients see the connection ids of other clients: in room events ('from' of
	 * a 'say', 'connectionId' of a 'join' or 'leave') and in 'roomView' members (with
	 * their nodes). By default they see only other clients' users, and no connection id
	 * but their own.
	 */
	private boolean showConnectionIds;

	/**
	 * Largest frame a client may send; a larger one is refused with an error frame (up to
	 * twice this size) or closes the connection (beyond).
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Threads that run the WebSocket connections' work (opening, frames, closing; each
	 * connection's in order), so that the web server's threads never wait for Redis.
	 */
	private int threads = 8;

	/**
	 * How many frames of one connection may wait for a thread; a frame beyond is answered
	 * with a 'busy' error frame.
	 */
	private int maxQueuedRequests = 32;

	/**
	 * How much of the frames to one client may wait to be written (counted in
	 * characters); a client further behind is closed.
	 */
	private DataSize sendBufferLimit = DataSize.ofKilobytes(512);

	/**
	 * Size of each of Tomcat's two socket buffers (read and write,
	 * 'socket.appReadBufSize' and 'socket.appWriteBufSize' of the connector, 8KB each by
	 * Tomcat's default) that every connection of the web server holds for as long as it
	 * is open, WebSocket or HTTP: a smaller size saves heap on idle WebSocket
	 * connections; reads and writes larger than it take more system calls. 0 leaves
	 * Tomcat's settings alone.
	 */
	private DataSize socketBufferSize = DataSize.ofKilobytes(2);

	/**
	 * How long a frame to a client may wait to be written; a client further behind is
	 * closed.
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * How many frames per second one client may send on average (a token bucket, with
	 * 'message-burst' frames at once); a frame over it is answered with a 'rate-limited'
	 * error frame, and a client that sends more than twice this rate until more than
	 * 'message-burst' frames beyond it are refused is closed (1008). 0 for no limit.
	 */
	private int messagesPerSecond = 100;

	/**
	 * How many frames one client may send at once, above 'messages-per-second'.
	 */
	private int messageBurst = 200;

	/**
	 * How many WebSocket connections this node holds at most; a handshake beyond is
	 * refused with HTTP 503. 0 for no limit.
	 */
	private int maxConnections = 10_000;

	/**
	 * How many rooms one client may be in at once; a 'roomJoin' beyond is answered with a
	 * 'too-many-rooms' error frame (the application's own joins are not limited). 0 for
	 * no limit.
	 */
	private int maxRoomsPerConnection = 100;

	/**
	 * The largest WebSocket message that carries several frames at once, one per line, to
	 * a client that asked for them so ('batch=1' on the endpoint's URL, as Cohort's
	 * JavaScript client does): frames that wait for a client while another is written go
	 * out together, up to this size. 0 to write every frame on its own.
	 */
	private DataSize maxBatchSize = DataSize.ofKilobytes(16);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public List<String> getPrivateRooms() {
		return this.privateRooms;
	}

	public void setPrivateRooms(List<String> privateRooms) {
		this.privateRooms = privateRooms;
	}

	public boolean isShowConnectionIds() {
		return this.showConnectionIds;
	}

	public void setShowConnectionIds(boolean showConnectionIds) {
		this.showConnectionIds = showConnectionIds;
	}

	public boolean isRequireAuthentication() {
		return this.requireAuthentication;
	}

	public void setRequireAuthentication(boolean requireAuthentication) {
		this.requireAuthentication = requireAuthentication;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public int getThreads() {
		return this.threads;
	}

	public void setThreads(int threads) {
		this.threads = threads;
	}

	public int getMaxQueuedRequests() {
		return this.maxQueuedRequests;
	}

	public void setMaxQueuedRequests(int maxQueuedRequests) {
		this.maxQueuedRequests = maxQueuedRequests;
	}

	public DataSize getSendBufferLimit() {
		return this.sendBufferLimit;
	}

	public void setSendBufferLimit(DataSize sendBufferLimit) {
		this.sendBufferLimit = sendBufferLimit;
	}

	public DataSize getSocketBufferSize() {
		return this.socketBufferSize;
	}

	public void setSocketBufferSize(DataSize socketBufferSize) {
		this.socketBufferSize = socketBufferSize;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public int getMessagesPerSecond() {
		return this.messagesPerSecond;
	}

	public void setMessagesPerSecond(int messagesPerSecond) {
		this.messagesPerSecond = messagesPerSecond;
	}

	public int getMessageBurst() {
		return this.messageBurst;
	}

	public void setMessageBurst(int messageBurst) {
		this.messageBurst = messageBurst;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public int getMaxRoomsPerConnection() {
		return this.maxRoomsPerConnection;
	}

	public void setMaxRoomsPerConnection(int maxRoomsPerConnection) {
		this.maxRoomsPerConnection = maxRoomsPerConnection;
	}

	public DataSize getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public void setMaxBatchSize(DataSize maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

}
