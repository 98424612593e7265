package dev.cohort.testapp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.RoomMemberDetails;
import dev.cohort.chat.RoomMessagePayload;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.ConnectionListener;
import dev.cohort.connections.RoomAuthorizer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * With {@code test.chat.hooks=true}, every chat and connection hook an application can
 * declare, each writing what it sees to the node's {@link Log}:
 * <ul>
 * <li>chat middleware that refuses saying {@code "forbidden"} and leaving rooms named
 * {@code sticky-*}, and delivers {@code "***"} instead of what is said in rooms named
 * {@code censored-*};</li>
 * <li>member details with the connection's {@code mood} attribute and a {@code token}
 * that sanitising takes out, and details too large to store in rooms named
 * {@code huge-*};</li>
 * <li>a message payload that adds a {@code stamp} in rooms named {@code stamped-*};</li>
 * <li>a room authorizer that lets non-members view rooms named {@code open-*};</li>
 * <li>three connection listeners in order, the second of which always throws.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("test.chat.hooks")
public class ChatHooks {

	@Bean
	Log chatHookLog() {
		return new Log();
	}

	@Bean
	ChatMiddleware recordingChatMiddleware(Log log) {
		return new ChatMiddleware() {

			@Override
			public void leave(String connectionId, Map<String, Object> attributes, String room) {
				log.add("leave " + connectionId + " " + room);
				if (room.startsWith("sticky-")) {
					throw new ChatRefusedException("Nobody leaves room '" + room + "'");
				}
			}

			@Override
			public @Nullable Object say(String connectionId, Map<String, Object> attributes, String room,
					@Nullable Object message) {
				log.add("say " + connectionId + " " + room + " " + message);
				if ("forbidden".equals(message)) {
					throw new ChatRefusedException("That may not be said");
				}
				return message;
			}

			@Override
			public @Nullable Object deliver(String recipientId, String room, @Nullable String from, Object message) {
				log.add("deliver " + recipientId + " " + room + " " + message);
				return room.startsWith("censored-") ? "***" : message;
			}

		};
	}

	@Bean
	RoomMemberDetails testMemberDetails() {
		return new RoomMemberDetails() {

			@Override
			public Map<String, @Nullable Object> generate(String connectionId, @Nullable String user,
					Map<String, Object> attributes, String room) {
				Map<String, @Nullable Object> details = new LinkedHashMap<>();
				details.put("mood", attributes.getOrDefault("mood", "calm"));
				details.put("token", "private-" + connectionId);
				if (room.startsWith("huge-")) {
					details.put("essay", "x".repeat(2000));
				}
				return details;
			}

			@Override
			public Map<String, @Nullable Object> sanitize(String room, Map<String, @Nullable Object> details) {
				Map<String, @Nullable Object> shown = new LinkedHashMap<>(details);
				shown.remove("token");
				return shown;
			}

		};
	}

	@Bean
	RoomMessagePayload testMessagePayload() {
		return (message) -> {
			Map<String, @Nullable Object> payload = RoomMessagePayload.DEFAULT.payload(message);
			if (message.room().startsWith("stamped-")) {
				payload.put("stamp", "cohort");
				payload.put("event", "not-a-say");
			}
			return payload;
		};
	}

	@Bean
	RoomAuthorizer testRoomAuthorizer() {
		return new RoomAuthorizer() {

			@Override
			public boolean mayJoin(ConnectionInfo connection, String room) {
				return true;
			}

			@Override
			public boolean mayView(ConnectionInfo connection, String room) {
				return room.startsWith("open-");
			}

		};
	}

	@Bean
	@Order(1)
	ConnectionListener firstConnectionListener(Log log) {
		return new ConnectionListener() {

			@Override
			public void opened(ConnectionInfo connection) {
				log.add("first opened " + connection.connectionId());
			}

			@Override
			public void closed(ConnectionInfo connection) {
				log.add("first closed " + connection.connectionId() + " " + connection.rooms());
			}

		};
	}

	@Bean
	@Order(2)
	ConnectionListener failingConnectionListener() {
		return new ConnectionListener() {

			@Override
			public void opened(ConnectionInfo connection) {
				throw new IllegalStateException("a broken listener");
			}

			@Override
			public void closed(ConnectionInfo connection) {
				throw new IllegalStateException("a broken listener");
			}

		};
	}

	@Bean
	@Order(3)
	ConnectionListener thirdConnectionListener(Log log) {
		return new ConnectionListener() {

			@Override
			public void opened(ConnectionInfo connection) {
				log.add("third opened " + connection.connectionId());
			}

			@Override
			public void closed(ConnectionInfo connection) {
				log.add("third closed " + connection.connectionId());
			}

		};
	}

	/**
	 * What the hooks of one node saw, in order.
	 */
	public static final class Log {

		private final List<String> entries = new CopyOnWriteArrayList<>();

		void add(String entry) {
			this.entries.add(entry);
		}

		/**
		 * The entries that start with a prefix.
		 * @param prefix the prefix, such as {@code "say "}
		 * @return the entries
		 */
		public List<String> startingWith(String prefix) {
			return this.entries.stream().filter((entry) -> entry.startsWith(prefix)).toList();
		}

		/**
		 * The entries that mention a connection.
		 * @param connectionId the connection
		 * @return the entries
		 */
		public List<String> about(String connectionId) {
			return this.entries.stream().filter((entry) -> entry.contains(connectionId)).toList();
		}

	}

}
