package dev.cohort.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMemberDetails;
import dev.cohort.chat.RoomMessagePayload;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.RoomAuthorizer;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.internal.ClusterWebSocketHandler;
import dev.cohort.connections.internal.ConnectionHub;
import dev.cohort.connections.internal.DefaultChatRooms;
import dev.cohort.connections.internal.DefaultClusterConnections;
import dev.cohort.connections.internal.WebSocketLimits;
import dev.cohort.connections.local.LocalConnectionStore;
import dev.cohort.rpc.ConnectionLocator;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.ConfigurableWebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The connections and chat auto-configuration.
 */
class ClusterConnectionsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			ClusterAutoConfiguration.class, ClusterConnectionsAutoConfiguration.class,
			ClusterRpcAutoConfiguration.class);

	private final ServerContainer container = mock(ServerContainer.class);

	// The mock servlet context has no WebSocket container of its own: give it one.
	private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
		.withInitializer((context) -> ((ConfigurableWebApplicationContext) context).getServletContext()
			.setAttribute(ServerContainer.class.getName(), this.container))
		.withPropertyValues("cluster.transport=local");

	@Test
	void aWebServerNodeServesTheEndpointAndEveryNodeGetsTheApi() {
		this.web.run((context) -> {
			assertThat(context).hasSingleBean(DefaultClusterConnections.class)
				.hasSingleBean(DefaultChatRooms.class)
				.hasSingleBean(ConnectionHub.class)
				.hasSingleBean(ClusterWebSocketHandler.class);
			assertThat(context.getBean(ConnectionStore.class)).isInstanceOf(LocalConnectionStore.class);
			assertThat(context.getBean(ConnectionLocator.class)).isNotSameAs(ConnectionLocator.NONE);
			ClusterConnectionsProperties connections = context.getBean(ClusterProperties.class).getConnections();
			assertThat(connections.getPath()).isEqualTo("/cohort/ws");
			assertThat(connections.getAllowedOrigins()).isEmpty();
			assertThat(connections.getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(context.getBean(ClusterWebSocketHandler.class).getMaxMessageSize()).isEqualTo(64 * 1024);
			assertThat(context.getBean(ClusterWebSocketHandler.class).getLimits()).isEqualTo(WebSocketLimits.DEFAULTS);
			verify(this.container).setDefaultMaxTextMessageBufferSize(1024);
		});
	}

	@Test
	void propertiesTakeEffect() {
		this.web
			.withPropertyValues("cluster.connections.path=/ws", "cluster.connections.allowed-origins=https://a.example",
					"cluster.connections.max-message-size=1KB", "cluster.connections.threads=3",
					"cluster.connections.max-queued-requests=5", "cluster.connections.send-buffer-limit=2KB",
					"cluster.connections.send-time-limit=3s", "cluster.connections.max-batch-size=4KB")
			.run((context) -> {
				ClusterConnectionsProperties connections = context.getBean(ClusterProperties.class).getConnections();
				assertThat(connections.getPath()).isEqualTo("/ws");
				assertThat(connections.getAllowedOrigins()).containsExactly("https://a.example");
				assertThat(context.getBean(ClusterWebSocketHandler.class).getMaxMessageSize()).isEqualTo(1024);
				assertThat(context.getBean(ClusterWebSocketHandler.class).getLimits()).isEqualTo(
						new WebSocketLimits(1024, 3, 5, 2048, Duration.ofSeconds(3), 100, 200, 10_000, 100, 4 * 1024));
				verify(this.container).setDefaultMaxTextMessageBufferSize(1024);
			});
	}

	@Test
	void theTextBufferIsNoLargerThanTwiceTheLargestFrame() {
		this.web.withPropertyValues("cluster.connections.max-message-size=256B")
			.run((context) -> verify(this.container).setDefaultMaxTextMessageBufferSize(512));
	}

	@Test
	void limitsThatCannotWorkStopTheStart() {
		this.web.withPropertyValues("cluster.connections.threads=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cluster.connections.threads"));
		this.web.withPropertyValues("cluster.connections.send-time-limit=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cluster.connections.send-time-limit"));
		this.web.withPropertyValues("cluster.connections.max-batch-size=3GB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cluster.connections.max-batch-size"));
	}

	@Test
	void workerNodesAndNonWebApplicationsHaveNoEndpointButTheApi() {
		this.web.withPropertyValues("cluster.role=worker").run((context) -> {
			assertThat(context).doesNotHaveBean(ClusterWebSocketHandler.class)
				.hasSingleBean(ClusterConnections.class)
				.hasSingleBean(ChatRooms.class);
		});
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("cluster.transport=local")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterWebSocketHandler.class)
				.hasSingleBean(ClusterConnections.class));
	}

	@Test
	void theEndpointCanBeSwitchedOff() {
		this.web.withPropertyValues("cluster.connections.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterWebSocketHandler.class));
	}

	@Test
	void userBeansReplaceOurs() {
		ClusterConnections connections = mock(ClusterConnections.class);
		ChatRooms rooms = mock(ChatRooms.class);
		this.web.withBean(ClusterConnections.class, () -> connections)
			.withBean(ChatRooms.class, () -> rooms)
			.run((context) -> {
				assertThat(context.getBean(ClusterConnections.class)).isSameAs(connections);
				assertThat(context.getBean(ChatRooms.class)).isSameAs(rooms);
			});
	}

	@Test
	void chatHooksDefaultToTodaysBehaviourAndOnlyMembersViewRooms() {
		this.web.run((context) -> {
			assertThat(context.getBean(RoomMemberDetails.class)).isSameAs(RoomMemberDetails.NONE);
			assertThat(context.getBean(RoomMessagePayload.class)).isSameAs(RoomMessagePayload.DEFAULT);
			assertThat(context.getBean(ConnectionHub.class).maxMemberDetailsSize()).isEqualTo(1024);
			assertThat(context.getBean(ClusterProperties.class).getChat().getMaxMemberDetailsSize())
				.isEqualTo(DataSize.ofKilobytes(1));
			ConnectionInfo anyone = new ConnectionInfo("c", "n", "a", Instant.EPOCH, Map.of(), List.of());
			RoomAuthorizer authorizer = context.getBean(RoomAuthorizer.class);
			assertThat(authorizer.mayJoin(anyone, "lobby")).isTrue();
			assertThat(authorizer.mayView(anyone, "lobby")).as("a non-member").isFalse();
		});
	}

	@Test
	void applicationChatHooksReplaceOurs() {
		RoomMemberDetails details = (connectionId, user, attributes, room) -> Map.of("seat", 1);
		RoomMessagePayload payload = (message) -> Map.of("text", message.message());
		this.web.withBean(RoomMemberDetails.class, () -> details)
			.withBean(RoomMessagePayload.class, () -> payload)
			.run((context) -> {
				assertThat(context).hasSingleBean(RoomMemberDetails.class).hasSingleBean(RoomMessagePayload.class);
				assertThat(context.getBean(RoomMemberDetails.class)).isSameAs(details);
				assertThat(context.getBean(RoomMessagePayload.class)).isSameAs(payload);
			});
	}

	@Test
	void theBoundOfMemberDetailsIsSetAndChecked() {
		this.web.withPropertyValues("cluster.chat.max-member-details-size=4KB")
			.run((context) -> assertThat(context.getBean(ConnectionHub.class).maxMemberDetailsSize()).isEqualTo(4096));
		this.web.withPropertyValues("cluster.chat.max-member-details-size=0B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("cluster.chat.max-member-details-size"));
	}

	@Test
	void tomcatsSocketBuffersAre2KilobytesUnlessSetOrLeftAlone() {
		this.web.run((context) -> assertThat(socketBuffers(context.getBean(TomcatSocketBuffers.class)))
			.containsExactly("2048", "2048"));
		this.web.withPropertyValues("cluster.connections.socket-buffer-size=4KB")
			.run((context) -> assertThat(socketBuffers(context.getBean(TomcatSocketBuffers.class)))
				.containsExactly("4096", "4096"));
		// 0: Tomcat's own 8KB
		this.web.withPropertyValues("cluster.connections.socket-buffer-size=0")
			.run((context) -> assertThat(socketBuffers(context.getBean(TomcatSocketBuffers.class)))
				.containsExactly("8192", "8192"));
		this.web.withPropertyValues("cluster.role=worker")
			.run((context) -> assertThat(context).doesNotHaveBean(TomcatSocketBuffers.class));
	}

	@Test
	void anApplicationsConnectorCustomizerRunsAfterOurs() {
		TomcatConnectorCustomizer applications = (connector) -> connector.setProperty("socket.appReadBufSize", "16384");
		List<TomcatConnectorCustomizer> customizers = new ArrayList<>(
				List.of(applications, new TomcatSocketBuffers(DataSize.ofKilobytes(2))));
		AnnotationAwareOrderComparator.sort(customizers);
		Connector connector = new Connector();
		customizers.forEach((customizer) -> customizer.customize(connector));
		assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("16384");
		assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("2048");
	}

	private static List<String> socketBuffers(TomcatSocketBuffers buffers) {
		Connector connector = new Connector();
		buffers.customize(connector);
		return Arrays.asList(String.valueOf(connector.getProperty("socket.appReadBufSize")),
				String.valueOf(connector.getProperty("socket.appWriteBufSize")));
	}

}
