package dev.cohort.autoconfigure;

import dev.cohort.chat.ChatMiddleware;
import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMemberDetails;
import dev.cohort.chat.RoomMessagePayload;
import dev.cohort.connections.RoomAuthorizer;
import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.cluster.ClusterMetrics;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.MembershipRecoveredEvent;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeLeftEvent;
import dev.cohort.cluster.NodeRole;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionListener;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.internal.AuthenticationRequired;
import dev.cohort.connections.internal.ClusterWebSocketHandler;
import dev.cohort.connections.internal.ConnectionHub;
import dev.cohort.connections.internal.DefaultChatRooms;
import dev.cohort.connections.internal.StartingRooms;
import dev.cohort.connections.internal.DefaultClusterConnections;
import dev.cohort.connections.internal.DirectoryReconciler;
import dev.cohort.connections.internal.WebSocketLimits;
import dev.cohort.connections.local.LocalConnectionStore;
import dev.cohort.connections.redis.RedisConnectionStore;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.ConnectionLocator;
import dev.cohort.rpc.RpcMethods;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

/**
 * {@link ClusterConnections} and {@link ChatRooms} on every node, the directory they
 * share, and on server nodes of a servlet web application with
 * spring-boot-starter-websocket the WebSocket endpoint. The directory also answers
 * {@link ClusterRpc#callConnection}: it runs before the RPC auto-configuration, whose
 * {@link ConnectionLocator} then backs off.
 */
@AutoConfiguration(after = ClusterAutoConfiguration.class, before = ClusterRpcAutoConfiguration.class)
@ConditionalOnBean(ClusterBus.class)
public final class ClusterConnectionsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionLocator connectionLocator(ObjectProvider<ConnectionStore> clusterConnectionStore, ClusterNodes nodes) {
		ConnectionStore store = clusterConnectionStore.getIfAvailable();
		if (store == null) {
			return ConnectionLocator.NONE;
		}
		return (connectionId) -> store.nodeOf(connectionId).filter(nodes::isMember);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionHub clusterConnectionHub(NodeInfo clusterNodeInfo, ConnectionStore clusterConnectionStore, ClusterBus bus,
			ClusterClock clock, ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<ChatMiddleware> middleware,
			RoomMemberDetails memberDetails, RoomMessagePayload messagePayload,
			ObjectProvider<ConnectionListener> connectionListeners, ClusterProperties properties) {
		ConnectionHub hub = new ConnectionHub(clusterNodeInfo.id(), clusterConnectionStore, bus, clock,
				JsonMappers.applicationOrDefault(jsonMapper), middleware.orderedStream().toList());
		hub.setShowConnectionIds(properties.getConnections().isShowConnectionIds());
		hub.setMemberDetails(memberDetails,
				(int) Math.min(Integer.MAX_VALUE, properties.getChat().getMaxMemberDetailsSize().toBytes()));
		hub.setMessagePayload(messagePayload);
		hub.setConnectionListeners(connectionListeners.orderedStream().toList());
		return hub;
	}

	/**
	 * What a member of a room shows to others: by default nothing beyond its connection
	 * id, node, join time and user.
	 */
	@Bean
	@ConditionalOnMissingBean
	RoomMemberDetails clusterRoomMemberDetails() {
		return RoomMemberDetails.NONE;
	}

	/**
	 * What a message said in a room looks like to its recipients: by default the
	 * protocol's {@code say} frame.
	 */
	@Bean
	@ConditionalOnMissingBean
	RoomMessagePayload clusterRoomMessagePayload() {
		return RoomMessagePayload.DEFAULT;
	}

	@Bean
	@ConditionalOnMissingBean(ClusterConnections.class)
	DefaultClusterConnections clusterConnections(ConnectionHub hub, ConnectionStore clusterConnectionStore,
			ClusterNodes nodes, ClusterRpc rpc, RpcMethods rpcMethods) {
		return new DefaultClusterConnections(hub, clusterConnectionStore, nodes, rpc, rpcMethods);
	}

	@Bean
	@ConditionalOnMissingBean(ChatRooms.class)
	DefaultChatRooms chatRooms(ConnectionStore clusterConnectionStore, ClusterConnections connections,
			ConnectionHub hub) {
		return new DefaultChatRooms(clusterConnectionStore, connections, hub);
	}

	@Bean
	@ConditionalOnMissingBean
	StartingRooms clusterStartingRooms(ChatRooms chatRooms, ClusterProperties properties) {
		return new StartingRooms(chatRooms, properties.getChat().getStartingRooms());
	}

	/**
	 * Keeps the directory's entries of this node's connections in step with what it holds
	 * (checked every five heartbeat intervals, and written again when the node recovers
	 * from being out of the cluster), and purges the nodes that left.
	 */
	@Bean
	DirectoryReconciler clusterDirectoryReconciler(ConnectionHub hub, ConnectionStore clusterConnectionStore,
			ClusterClock clock, ClusterNodes nodes, ClusterProperties properties) {
		return new DirectoryReconciler(hub, clusterConnectionStore, clock, nodes,
				properties.getHeartbeatInterval().multipliedBy(5));
	}

	/**
	 * When a node leaves, its connections leave their rooms: every node hears of it, and
	 * purges it on its directory thread; each membership is removed, and its room told,
	 * by one of them.
	 */
	@Bean
	ApplicationListener<PayloadApplicationEvent<NodeLeftEvent>> clusterConnectionsPurge(
			DirectoryReconciler reconciler) {
		return ApplicationListener.forPayload((NodeLeftEvent event) -> reconciler.purge(event.node().id()));
	}

	@Bean
	ApplicationListener<PayloadApplicationEvent<MembershipRecoveredEvent>> clusterDirectoryReassert(
			DirectoryReconciler reconciler) {
		return ApplicationListener.forPayload((MembershipRecoveredEvent event) -> reconciler.recovered());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRedisTransport
	static class RedisStore {

		@Bean
		@ConditionalOnMissingBean
		ConnectionStore clusterConnectionStore(
				@Qualifier(DedicatedRedis.MESSAGES) ObjectProvider<RedisConnectionFactory> messagesRedis,
				ObjectProvider<RedisConnectionFactory> applicationRedis, ClusterKeys keys) {
			return new RedisConnectionStore(
					new StringRedisTemplate(DedicatedRedis.choose(messagesRedis, applicationRedis)), keys);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnLocalTransport
	static class LocalStore {

		@Bean
		@ConditionalOnMissingBean
		ConnectionStore clusterConnectionStore() {
			return new LocalConnectionStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebSocketConfigurer.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnNodeRole(NodeRole.SERVER)
	@ConditionalOnBooleanProperty(name = "cluster.connections.enabled", matchIfMissing = true)
	@EnableWebSocket
	static class WebSocketEndpoint {

		@Bean
		@ConditionalOnMissingBean
		ClusterWebSocketHandler clusterWebSocketHandler(ConnectionHub hub, ClusterProperties properties,
				ClusterMetrics metrics, RoomAuthorizer roomAuthorizer) {
			ClusterConnectionsProperties connections = properties.getConnections();
			WebSocketLimits limits = new WebSocketLimits((int) connections.getMaxMessageSize().toBytes(),
					connections.getThreads(), connections.getMaxQueuedRequests(),
					connections.getSendBufferLimit().toBytes(), connections.getSendTimeLimit(),
					connections.getMessagesPerSecond(), connections.getMessageBurst(), connections.getMaxConnections(),
					connections.getMaxRoomsPerConnection(), (int) connections.getMaxBatchSize().toBytes());
			ClusterWebSocketHandler handler = new ClusterWebSocketHandler(hub, limits, metrics);
			handler.setRoomAuthorizer(roomAuthorizer);
			return handler;
		}

		@Bean
		@ConditionalOnMissingBean
		RoomAuthorizer clusterRoomAuthorizer(ClusterProperties properties) {
			return RoomAuthorizer.denyingPrivate(properties.getConnections().getPrivateRooms());
		}

		/**
		 * The endpoint, with the application's {@link HandshakeHandler} if it has one:
		 * the principal it (or Spring Security) authenticates becomes the connection's
		 * user.
		 */
		@Bean
		WebSocketConfigurer clusterWebSocketConfigurer(ClusterWebSocketHandler handler, ClusterProperties properties,
				ObjectProvider<HandshakeHandler> handshakeHandler, ClusterMetrics metrics) {
			ClusterConnectionsProperties connections = properties.getConnections();
			return (registry) -> {
				var registration = registry.addHandler(handler, connections.getPath());
				handshakeHandler.ifUnique(registration::setHandshakeHandler);
				if (connections.isRequireAuthentication()) {
					// Before the connection limit, so that a refused handshake takes no
					// place
					registration.addInterceptors(new AuthenticationRequired(metrics));
				}
				registration.addInterceptors(handler.connectionLimit());
				if (!connections.getAllowedOrigins().isEmpty()) {
					registration.setAllowedOrigins(connections.getAllowedOrigins().toArray(String[]::new));
				}
			};
		}

		@Bean
		@ConditionalOnMissingBean
		ServletServerContainerFactoryBean clusterWebSocketContainer(ClusterProperties properties) {
			// Tomcat allocates the text buffer for every connection as it opens: a small
			// one,
			// longer frames come in parts that the handler puts together up to the limit.
			long limit = properties.getConnections().getMaxMessageSize().toBytes();
			int buffer = (int) Math.min(ClusterWebSocketHandler.TEXT_BUFFER_CHARS, limit * 2);
			ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
			container.setMaxTextMessageBufferSize(buffer);
			container.setMaxBinaryMessageBufferSize(ClusterWebSocketHandler.BINARY_BUFFER_BYTES);
			return container;
		}

		/**
		 * Smaller socket buffers for Tomcat, which holds two on every connection:
		 * {@code cluster.connections.socket-buffer-size}, empty to leave Tomcat's own.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ Connector.class, TomcatConnectorCustomizer.class })
		static class TomcatBuffers {

			@Bean
			@ConditionalOnMissingBean(name = "clusterTomcatSocketBuffers")
			TomcatSocketBuffers clusterTomcatSocketBuffers(ClusterProperties properties) {
				return new TomcatSocketBuffers(properties.getConnections().getSocketBufferSize());
			}

		}

	}

}
